#pragma once
/// @file display_colour.h
/// @brief Colours as they are: a photo's pixels stay in its own colour space (its embedded ICC
/// profile) everywhere in Refine, and only the images painted on screen are converted, to sRGB,
/// the colour space Qt assumes for the screen. A photo without a profile Qt can use is taken to
/// be sRGB and shown as it is. (The imaging library gives grey photos an equivalent RGB profile
/// and converts CMYK ones to sRGB: Photo::iccProfile always describes the RGB pixels.)

#include <QColorSpace>
#include <QImage>

#include <vector>

namespace refine::imaging {
struct Photo;
}

namespace refine::ui {

/// The colour space an ICC profile describes; invalid when empty or not one Qt can use.
QColorSpace colourSpaceOf(const std::vector<unsigned char>& iccProfile);
/// The colour space of the photo's pixels (Photo::iccProfile); invalid when it has none.
QColorSpace photoColourSpace(const imaging::Photo& photo);

/// Whether images in `colourSpace` must be converted to be shown right (a valid space other than sRGB).
bool needsDisplayConversion(const QColorSpace& colourSpace);

/// `image`, whose pixels are in `colourSpace`, converted for the screen (sRGB); as it is when no
/// conversion is needed. Thread-safe.
QImage toDisplayColours(QImage image, const QColorSpace& colourSpace);

/// The inverse: an image made by toDisplayColours() back in `colourSpace` (8-bit, so within a
/// level or two of what it was made from).
QImage fromDisplayColours(QImage image, const QColorSpace& colourSpace);

}  // namespace refine::ui
