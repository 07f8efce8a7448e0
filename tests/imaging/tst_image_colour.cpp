// Colour as it is: photos keep the ICC profile that describes their pixels (Photo::iccProfile,
// what the app shows them through) and their results carry it. Wide-gamut RGB keeps its own,
// grey gets the equivalent RGB profile, CMYK is converted to sRGB through its profile. Profiles
// and files are made by the test with Little CMS, libjpeg and libtiff.

#include "refine/engine/error.h"
#include "refine/imaging/candidate_export.h"
#include "refine/imaging/image_io.h"
#include "refine/imaging/metadata.h"

#include "image_test_files.h"
#include "test_profiles.h"
#include "tiff_test_files.h"

#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/imgproc.hpp>

#include <cstdio>  // jpeglib.h needs FILE declared first
#include <jpeglib.h>

#include <filesystem>

using namespace refine::imaging;
using refine::test::Bytes;
using refine::test::encodeWithOpenCv;
using refine::test::grayProfile;
using refine::test::saveProfile;

namespace {

// Adobe RGB (1998)'s primaries and gamma: a gamut wider than sRGB.
Bytes wideGamutProfile()
{
    cmsCIExyY d65;
    cmsWhitePointFromTemp(&d65, 6504);
    const cmsCIExyYTRIPLE primaries = {{0.64, 0.33, 1}, {0.21, 0.71, 1}, {0.15, 0.06, 1}};
    cmsToneCurve* gamma = cmsBuildGamma(nullptr, 563.0 / 256.0);
    cmsToneCurve* curves[3] = {gamma, gamma, gamma};
    const Bytes bytes = saveProfile(cmsCreateRGBProfile(&d65, &primaries, curves));
    cmsFreeToneCurve(gamma);
    return bytes;
}

// A deliberately unusual press: cyan comes out red, yellow blue; nothing like the textbook formula.
cmsInt32Number oddPress(const cmsUInt16Number in[], cmsUInt16Number out[], void*)
{
    const double c = in[0] / 65535.0, m = in[1] / 65535.0, y = in[2] / 65535.0, k = in[3] / 65535.0;
    cmsCIELab lab{90 * (1 - k) * (1 - 0.3 * m) + 5, 70 * c - 20 * m, -70 * y + 30 * m};
    cmsFloat2LabEncoded(out, &lab);
    return TRUE;
}

Bytes cmykProfile()
{
    cmsHPROFILE profile = cmsCreateProfilePlaceholder(nullptr);
    cmsSetProfileVersion(profile, 4.3);
    cmsSetDeviceClass(profile, cmsSigOutputClass);
    cmsSetColorSpace(profile, cmsSigCmykData);
    cmsSetPCS(profile, cmsSigLabData);
    cmsPipeline* lut = cmsPipelineAlloc(nullptr, 4, 3);
    cmsStage* clut = cmsStageAllocCLut16bit(nullptr, 5, 4, 3, nullptr);
    cmsStageSampleCLut16bit(clut, oddPress, nullptr, 0);
    cmsPipelineInsertStage(lut, cmsAT_BEGIN, clut);
    // lutAtoBType wants curves around the table: identities.
    cmsPipelineInsertStage(lut, cmsAT_BEGIN, cmsStageAllocToneCurves(nullptr, 4, nullptr));
    cmsPipelineInsertStage(lut, cmsAT_END, cmsStageAllocToneCurves(nullptr, 3, nullptr));
    cmsWriteTag(profile, cmsSigAToB0Tag, lut);
    cmsWriteTag(profile, cmsSigMediaWhitePointTag, cmsD50_XYZ());
    cmsPipelineFree(lut);
    return saveProfile(profile);
}

// What Little CMS makes of CMYK samples under `profile` in sRGB (relative colorimetric with black
// point compensation, as decodePhoto promises), as floats.
cv::Vec3f throughProfile(const Bytes& profile, const cv::Vec4b& cmyk)
{
    cmsHPROFILE source = cmsOpenProfileFromMem(profile.data(), cmsUInt32Number(profile.size()));
    cmsHPROFILE srgb = cmsCreate_sRGBProfile();
    cmsHTRANSFORM transform = cmsCreateTransform(source, TYPE_CMYK_8, srgb, TYPE_RGB_FLT, INTENT_RELATIVE_COLORIMETRIC,
                                                 cmsFLAGS_BLACKPOINTCOMPENSATION);
    cv::Vec3f rgb;
    cmsDoTransform(transform, cmyk.val, rgb.val, 1);
    cmsDeleteTransform(transform);
    cmsCloseProfile(srgb);
    cmsCloseProfile(source);
    for (float& v : rgb.val)
        v = std::min(1.f, std::max(0.f, v));
    return rgb;
}

// The Lab colour of an RGB (or grey) value under a profile, to compare what two profiles show.
cmsCIELab labOf(const Bytes& profile, const std::vector<float>& samples)
{
    cmsHPROFILE source = cmsOpenProfileFromMem(profile.data(), cmsUInt32Number(profile.size()));
    cmsHPROFILE lab = cmsCreateLab4Profile(nullptr);
    const bool gray = samples.size() == 1;
    cmsHTRANSFORM transform = cmsCreateTransform(source, gray ? TYPE_GRAY_FLT : TYPE_RGB_FLT, lab, TYPE_Lab_DBL,
                                                 INTENT_RELATIVE_COLORIMETRIC, 0);
    cmsCIELab out{};
    std::vector<float> scaled = samples;  // float transforms take 0..1 for RGB and grey
    cmsDoTransform(transform, scaled.data(), &out, 1);
    cmsDeleteTransform(transform);
    cmsCloseProfile(lab);
    cmsCloseProfile(source);
    return out;
}

// Embeds a profile with exiv2 (JPEG, TIFF and PNG, where exiv2 0.27 writes it readably).
Bytes withProfile(const Bytes& encoded, const Bytes& icc)
{
    return refine::test::editMetadata(encoded, [&](Exiv2::Image& image) {
        Exiv2::DataBuf profile(icc.data(), long(icc.size()));
        image.setIccProfile(profile, true);
    });
}

// 16 x 8 CMYK: left half cyan (255, 0, 0, 0), right half yellow (0, 0, 255, 0).
cv::Vec4b cmykAt(int x) { return x < 8 ? cv::Vec4b(255, 0, 0, 0) : cv::Vec4b(0, 0, 255, 0); }

// A CMYK JPEG as Adobe software writes it: APP14 marker, samples stored inverted (255 - value).
Bytes cmykJpeg()
{
    jpeg_compress_struct info{};
    jpeg_error_mgr errors{};
    info.err = jpeg_std_error(&errors);
    jpeg_create_compress(&info);
    unsigned char* buffer = nullptr;
    unsigned long size = 0;
    jpeg_mem_dest(&info, &buffer, &size);
    info.image_width = 16;
    info.image_height = 8;
    info.input_components = 4;
    info.in_color_space = JCS_CMYK;
    jpeg_set_defaults(&info);
    jpeg_set_quality(&info, 100, TRUE);
    jpeg_start_compress(&info, TRUE);
    unsigned char row[16 * 4];
    for (int x = 0; x < 16; ++x)
        for (int c = 0; c < 4; ++c)
            row[x * 4 + c] = static_cast<unsigned char>(255 - cmykAt(x)[c]);
    for (int y = 0; y < 8; ++y) {
        JSAMPROW rows[1] = {row};
        jpeg_write_scanlines(&info, rows, 1);
    }
    jpeg_finish_compress(&info);
    Bytes bytes(buffer, buffer + size);
    jpeg_destroy_compress(&info);
    std::free(buffer);
    return bytes;
}

Bytes cmykTiff(const std::filesystem::path& file, const Bytes& icc)
{
    refine::test::TiffPage page{16, 8, 4, PHOTOMETRIC_SEPARATED, {}, icc, false};
    for (int y = 0; y < 8; ++y)
        for (int x = 0; x < 16; ++x) {
            const cv::Vec4b cmyk = cmykAt(x);
            page.samples.insert(page.samples.end(), cmyk.val, cmyk.val + 4);
        }
    refine::test::writeTiff(file, {page});
    return refine::test::readAll(file);
}

// Encodes the photo, enlarged 2x, as `format` through encodeCandidate (as the CLI and the app do).
Bytes exportAs(const Photo& photo, const std::string& format)
{
    cv::Mat larger;
    cv::resize(photo.rgb, larger, photo.rgb.size() * 2, 0, 0, cv::INTER_NEAREST);
    refine::CandidateOutput candidate;
    candidate.image = refine::ImageF(larger.cols, larger.rows, 3);
    std::memcpy(candidate.image.pixels.data(), larger.data, candidate.image.pixels.size() * sizeof(float));
    EncodeOptions encode;
    encode.format = format;
    return encodeCandidate(photo, candidate, CandidateOrigin{}, encode);
}

bool hasNotice(const Photo& photo, const std::string& text)
{
    return std::find(photo.notices.begin(), photo.notices.end(), text) != photo.notices.end();
}

std::string descriptionOf(const Bytes& icc)
{
    cmsHPROFILE profile = cmsOpenProfileFromMem(icc.data(), cmsUInt32Number(icc.size()));
    char text[256] = {};
    cmsGetProfileInfoASCII(profile, cmsInfoDescription, "en", "US", text, sizeof text);
    cmsCloseProfile(profile);
    return text;
}

}  // namespace

class TestImageColour : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void wideGamutKeepsItsProfile_data();
    void wideGamutKeepsItsProfile();
    void grayProfileBecomesItsRgbEquivalent_data();
    void grayProfileBecomesItsRgbEquivalent();
    void cmykJpegThroughItsProfile();
    void cmykTiffThroughItsProfile();
    void noProfileMeansNone();
};

void TestImageColour::wideGamutKeepsItsProfile_data()
{
    QTest::addColumn<QString>("format");
    for (const char* format : {"png", "jpg", "tif", "webp"})
        QTest::newRow(format) << format;
}

void TestImageColour::wideGamutKeepsItsProfile()
{
    QFETCH(QString, format);
    const Bytes icc = wideGamutProfile();
    cv::Mat bgr(8, 8, CV_8UC3, cv::Scalar(30, 200, 90));
    // Embedded as a previous Refine result would carry it (exiv2 0.27 writes WebP profiles wrongly).
    const Bytes source = transferMetadata({}, encodeWithOpenCv(bgr, "." + format.toStdString()), 8, 8, Provenance{},
                                          nullptr, &icc);
    const Photo photo = decodePhoto(source, "wide." + format.toStdString());
    QCOMPARE(photo.iccProfile, icc);
    QVERIFY(photo.notices.empty());
    const Bytes out = exportAs(photo, format.toStdString());
    QCOMPARE(readMetadata(out).icc, icc);
    QCOMPARE(decodePhoto(out, "out").iccProfile, icc);
}

void TestImageColour::grayProfileBecomesItsRgbEquivalent_data()
{
    QTest::addColumn<QString>("format");
    QTest::newRow("png") << "png";
    QTest::newRow("jpg") << "jpg";
    QTest::newRow("tif") << "tif";
}

void TestImageColour::grayProfileBecomesItsRgbEquivalent()
{
    QFETCH(QString, format);
    const Bytes gray = grayProfile(1.8);
    cv::Mat pixels(8, 8, CV_8UC1, cv::Scalar(100));
    const Bytes source = withProfile(encodeWithOpenCv(pixels, "." + format.toStdString()), gray);
    const Photo photo = decodePhoto(source, "gray");
    QVERIFY(!photo.iccProfile.empty());
    QCOMPARE(descriptionOf(photo.iccProfile), std::string("Grey as RGB (Refine)"));
    // R = G = B = v under the new profile shows what v showed under the grey one.
    for (float v : {0.1f, 100 / 255.f, 0.8f}) {
        const cmsCIELab expected = labOf(gray, {v}), got = labOf(photo.iccProfile, {v, v, v});
        QVERIFY2(cmsDeltaE(&expected, &got) < 0.5, qPrintable(QString("dE %1 at %2").arg(cmsDeltaE(&expected, &got)).arg(v)));
    }
    // The results carry it, where before the grey profile was dropped ("not an RGB profile").
    MetadataTransferReport report;
    const Bytes out = exportAs(photo, format.toStdString());
    QCOMPARE(readMetadata(out).icc, photo.iccProfile);
}

void TestImageColour::cmykJpegThroughItsProfile()
{
    const Bytes icc = cmykProfile();
    const Photo photo = decodePhoto(withProfile(cmykJpeg(), icc), "press.jpg");
    QCOMPARE(photo.rgb.size(), cv::Size(16, 8));
    QVERIFY(!photo.hasAlpha());
    for (int x : {2, 13}) {
        const cv::Vec3f expected = throughProfile(icc, cmykAt(x)), got = photo.rgb.at<cv::Vec3f>(4, x);
        QVERIFY2(cv::norm(got - expected, cv::NORM_INF) < 0.03,
                 qPrintable(QString("x %1: got %2 %3 %4, expected %5 %6 %7").arg(x).arg(got[0]).arg(got[1]).arg(got[2])
                                .arg(expected[0]).arg(expected[1]).arg(expected[2])));
    }
    QVERIFY(hasNotice(photo, "CMYK photo: converted to sRGB through its ICC profile; the results are RGB"));
    QVERIFY(descriptionOf(photo.iccProfile).find("sRGB") != std::string::npos);
    QCOMPARE(readMetadata(exportAs(photo, "jpg")).icc, photo.iccProfile);
}

void TestImageColour::cmykTiffThroughItsProfile()
{
    QTemporaryDir dir;
    const Bytes icc = cmykProfile();
    const Photo photo = decodePhoto(cmykTiff(std::filesystem::path(dir.path().toStdString()) / "press.tif", icc), "press.tif");
    QVERIFY(!photo.hasAlpha());
    for (int x : {0, 15}) {
        const cv::Vec3f expected = throughProfile(icc, cmykAt(x)), got = photo.rgb.at<cv::Vec3f>(3, x);
        QVERIFY(cv::norm(got - expected, cv::NORM_INF) < 1e-4);
    }
    QVERIFY(hasNotice(photo, "CMYK photo: converted to sRGB through its ICC profile; the results are RGB"));
    const Bytes out = exportAs(photo, "tif");
    QCOMPARE(readMetadata(out).icc, photo.iccProfile);
    QCOMPARE(readImageInfo(out, "out.tif").cmyk, false);
}

void TestImageColour::noProfileMeansNone()
{
    const Photo photo = decodePhoto(encodeWithOpenCv(cv::Mat(4, 4, CV_8UC3, cv::Scalar(1, 2, 3)), ".png"), "plain.png");
    QVERIFY(photo.iccProfile.empty());
    QVERIFY(photo.notices.empty());
    QVERIFY(readMetadata(exportAs(photo, "png")).icc.empty());
}

QTEST_APPLESS_MAIN(TestImageColour)
#include "tst_image_colour.moc"
