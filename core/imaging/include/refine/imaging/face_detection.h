#pragma once
/// @file face_detection.h
/// @brief Finding faces in a photo, so the desktop app can mark them and compare the candidates
/// face by face. OpenCV's Viola-Jones detector with a frontal-face Haar cascade that Debian ships
/// in `opencv-data`: no network, no model download. Of the package's
/// frontal-face cascades, "alt" found the same faces as "default" on the group photos of
/// ../shared/data with the fewest false alarms (a glass, a cushion).

#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace refine::imaging {

/// A face's bounding box in the photo's pixels (top-left corner, size).
struct FaceBox {
    int x = 0, y = 0, width = 0, height = 0;
    bool operator==(const FaceBox& o) const
    {
        return x == o.x && y == o.y && width == o.width && height == o.height;
    }
};

/// The longer side of the copy the faces are searched on: photos are enlarged to at least
/// kMinSearchSide (the cascade's window is 24 px, so faces of about 4% of a small photo's longer
/// side are found) and reduced to at most kMaxSearchSide (faces down to about 2.5% of a large
/// photo's longer side). On two busy CPU cores the search took 0.5 s at 640 px and 1.1 s at
/// 1024 px (the app runs it off the GUI thread as a photo opens).
inline constexpr int kMinSearchSide = 640;
inline constexpr int kMaxSearchSide = 1024;

/// The cascade file used when none is named: $REFINE_FACE_CASCADE when set, else Debian's
/// /usr/share/opencv4/haarcascades/haarcascade_frontalface_alt.xml (package opencv-data).
std::string defaultFaceCascadePath();

/// @brief The faces in `rgb` (CV_32FC3 RGB in [0, 1]) as boxes in its pixels, from left to right
/// (the way a person steps through a group photo), searched on a grey, contrast-equalised copy
/// whose longer side is between kMinSearchSide and kMaxSearchSide.
/// @throws refine::Error Io when the cascade file is missing or unreadable (the message names it
///         and the package that provides it), InvalidArgument for an empty image
std::vector<FaceBox> detectFaces(const cv::Mat& rgb, const std::string& cascadePath = defaultFaceCascadePath());

}  // namespace refine::imaging
