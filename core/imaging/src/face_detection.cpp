#include "refine/imaging/face_detection.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

#include "opencv_guard.h"
#include "refine/engine/error.h"

namespace refine::imaging {
namespace {

constexpr const char* kDebianCascade = "/usr/share/opencv4/haarcascades/haarcascade_frontalface_alt.xml";

/// The photo as 8-bit grey, its longer side brought between kMinSearchSide and kMaxSearchSide,
/// contrast equalised: faded and dark old prints then look to the cascade like the photos it
/// was trained on.
cv::Mat searchImage(const cv::Mat& rgb, double* factor)
{
    const int longer = std::max(rgb.cols, rgb.rows);
    *factor = double(std::clamp(longer, kMinSearchSide, kMaxSearchSide)) / longer;
    const cv::Size size(std::max(1, int(rgb.cols * *factor + 0.5)), std::max(1, int(rgb.rows * *factor + 0.5)));
    // Resized first, so a large photo is never copied at its full size.
    cv::Mat resized, grey;
    cv::resize(rgb, resized, size, 0, 0, *factor < 1 ? cv::INTER_AREA : cv::INTER_CUBIC);
    cv::cvtColor(resized, grey, cv::COLOR_RGB2GRAY);
    grey.convertTo(grey, CV_8U, 255.0);  // saturates what cubic enlarging overshot
    cv::equalizeHist(grey, grey);
    return grey;
}

cv::CascadeClassifier loadCascade(const std::string& path)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw Error(ErrorCode::Io, "the face detector's cascade file " + path
                                       + " is missing; install the package opencv-data (Debian and Ubuntu) or "
                                         "set REFINE_FACE_CASCADE to a Haar cascade file");
    cv::CascadeClassifier cascade;
    if (!detail::guardOpenCv(ErrorCode::Io, "cannot read the face detector's cascade file " + path,
                             [&] { return cascade.load(path); })
        || cascade.empty())
        throw Error(ErrorCode::Io, "the face detector's cascade file " + path + " cannot be read as a Haar cascade");
    return cascade;
}

}  // namespace

std::string defaultFaceCascadePath()
{
    const char* chosen = std::getenv("REFINE_FACE_CASCADE");
    return chosen && *chosen ? std::string(chosen) : std::string(kDebianCascade);
}

std::vector<FaceBox> detectFaces(const cv::Mat& rgb, const std::string& cascadePath)
{
    if (rgb.empty() || rgb.type() != CV_32FC3)
        throw Error(ErrorCode::InvalidArgument, "face detection needs a decoded RGB photo");
    cv::CascadeClassifier cascade = loadCascade(cascadePath);
    double factor = 1;
    std::vector<cv::Rect> found;
    detail::guardOpenCv(ErrorCode::Internal, "face detection failed", [&] {
        const cv::Mat search = searchImage(rgb, &factor);
        // minNeighbors 4: a face must be found at several nearby positions and scales, which
        // keeps the cascade's false alarms in textured backgrounds and enlarged small photos out.
        cascade.detectMultiScale(search, found, 1.1, 4, 0, cv::Size(24, 24));
    });
    std::vector<FaceBox> faces;
    const cv::Rect bounds(0, 0, rgb.cols, rgb.rows);
    for (const cv::Rect& r : found) {
        const cv::Rect box = cv::Rect(int(r.x / factor + 0.5), int(r.y / factor + 0.5), int(r.width / factor + 0.5),
                                      int(r.height / factor + 0.5))
                           & bounds;
        if (!box.empty())
            faces.push_back({box.x, box.y, box.width, box.height});
    }
    std::sort(faces.begin(), faces.end(),
              [](const FaceBox& a, const FaceBox& b) { return a.x != b.x ? a.x < b.x : a.y < b.y; });
    return faces;
}

}  // namespace refine::imaging
