// Faces: detection with opencv-data's Haar cascade on a committed group photo
// (refine/imaging/face_detection.h), and the face choices in a result's provenance
// (Xmp.refine.Faces, refine/imaging/candidate_export.h).

#include "expect_error.h"
#include "refine/engine/error.h"
#include "refine/imaging/candidate_export.h"
#include "refine/imaging/face_detection.h"
#include "refine/imaging/image_io.h"

#include <QtTest>

#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>

#include <filesystem>

using namespace refine::imaging;
using refine::CandidateOutput;
using refine::ErrorCode;

namespace {

std::filesystem::path groupPhoto()
{
    return std::filesystem::path(REFINE_TEST_DATA_DIR) / "images" / "group_faces.jpg";
}

bool cascadeInstalled()
{
    return std::filesystem::is_regular_file(defaultFaceCascadePath());
}

}  // namespace

class TestFaceDetection : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void findsTheThreeFacesOfTheGroupPhoto();
    void findsThemAtAnotherSizeToo();
    void photoWithoutFacesHasNone();
    void missingCascadeSaysWhatToInstall();
    void refusesAnEmptyImage();
    void facesRoundTripThroughTheProvenance();
};

void TestFaceDetection::findsTheThreeFacesOfTheGroupPhoto()
{
    if (!cascadeInstalled())
        QSKIP(qPrintable(QStringLiteral("no face cascade at %1 (package opencv-data)")
                             .arg(QString::fromStdString(defaultFaceCascadePath()))));
    const Photo photo = readPhoto(groupPhoto());
    QCOMPARE(photo.width(), 256);
    const std::vector<FaceBox> faces = detectFaces(photo.rgb);
    QCOMPARE(int(faces.size()), 3);
    // The three women, left to right: their face centres as a person marks them (photo pixels).
    const cv::Point2d expected[] = {{89, 61}, {155, 48}, {214, 57}};
    for (size_t i = 0; i < faces.size(); ++i) {
        const FaceBox& f = faces[i];
        const cv::Point2d centre(f.x + f.width / 2.0, f.y + f.height / 2.0);
        QVERIFY2(cv::norm(centre - expected[i]) < 8,
                 qPrintable(QStringLiteral("face %1 at %2,%3").arg(i).arg(centre.x).arg(centre.y)));
        QVERIFY2(f.width >= 24 && f.width <= 48, qPrintable(QString::number(f.width)));
    }
}

void TestFaceDetection::findsThemAtAnotherSizeToo()
{
    if (!cascadeInstalled())
        QSKIP("no face cascade (package opencv-data)");
    // Twice as large: the search copy is the same, the boxes scale with the photo.
    const Photo photo = readPhoto(groupPhoto());
    cv::Mat larger;
    cv::resize(photo.rgb, larger, photo.rgb.size() * 2, 0, 0, cv::INTER_CUBIC);
    const std::vector<FaceBox> faces = detectFaces(larger);
    QCOMPARE(int(faces.size()), 3);
    QVERIFY(faces[0].x > 120 && faces[0].x < 180);
}

void TestFaceDetection::photoWithoutFacesHasNone()
{
    if (!cascadeInstalled())
        QSKIP("no face cascade (package opencv-data)");
    const cv::Mat sky(120, 160, CV_32FC3, cv::Scalar(0.4, 0.6, 0.9));
    QVERIFY(detectFaces(sky).empty());
}

void TestFaceDetection::missingCascadeSaysWhatToInstall()
{
    const cv::Mat image(32, 32, CV_32FC3, cv::Scalar::all(0.5));
    VERIFY_ERROR(detectFaces(image, "/nonexistent/haarcascade.xml"), ErrorCode::Io,
                 {"/nonexistent/haarcascade.xml", "opencv-data"});
}

void TestFaceDetection::refusesAnEmptyImage()
{
    VERIFY_ERROR(detectFaces(cv::Mat()), ErrorCode::InvalidArgument, {"face detection"});
}

void TestFaceDetection::facesRoundTripThroughTheProvenance()
{
    FaceChoice clean;
    clean.x = 292;
    clean.y = 116;
    clean.width = 152;
    clean.height = 152;
    clean.feather = 19;
    clean.source = FaceChoice::Source::Clean;
    FaceChoice picked = clean;
    picked.x = 544;
    picked.source = FaceChoice::Source::Candidate;
    picked.sourceCandidate = 2;
    picked.detail = 0.5;
    picked.chosenByUser = true;
    const std::vector<FaceChoice> faces{clean, picked};
    CandidateOrigin origin;
    origin.faces = &faces;
    const Provenance provenance = provenanceOf(CandidateOutput{}, origin);

    const cv::Mat pixels(8, 8, CV_32FC3, cv::Scalar::all(0.5));
    const auto file = transferMetadata({}, encodePhoto(pixels, cv::Mat(), {"png"}), 8, 8, provenance);
    const Provenance read = readProvenance(file);
    QVERIFY(read == provenance);
    const nlohmann::json json = nlohmann::json::parse(read.faces);
    QCOMPARE(int(json.size()), 2);
    QCOMPARE(json[0]["box"], nlohmann::json({292, 116, 152, 152}));
    QCOMPARE(json[0]["source"].get<std::string>(), std::string("clean"));
    QCOMPARE(json[0]["chosen_by"].get<std::string>(), std::string("default"));
    QVERIFY(!json[0].contains("source_candidate"));
    QCOMPARE(json[1]["source"].get<std::string>(), std::string("candidate"));
    QCOMPARE(json[1]["source_candidate"].get<int>(), 2);
    QCOMPARE(json[1]["detail"].get<double>(), 0.5);
    QCOMPARE(json[1]["chosen_by"].get<std::string>(), std::string("user"));
    QCOMPARE(json[1]["feather"].get<int>(), 19);

    // No faces: no field at all.
    const CandidateOrigin noFaces;
    QVERIFY(provenanceOf(CandidateOutput{}, noFaces).faces.empty());
}

QTEST_GUILESS_MAIN(TestFaceDetection)
#include "tst_face_detection.moc"
