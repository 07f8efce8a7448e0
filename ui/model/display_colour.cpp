#include "model/display_colour.h"

#include <QByteArray>

#include "refine/imaging/photo.h"

namespace refine::ui {

QColorSpace colourSpaceOf(const std::vector<unsigned char>& iccProfile)
{
    if (iccProfile.empty())
        return {};
    // Qt reads RGB matrix/TRC profiles; others (LUT-based ones) come back invalid.
    return QColorSpace::fromIccProfile(
        QByteArray(reinterpret_cast<const char*>(iccProfile.data()), qsizetype(iccProfile.size())));
}

QColorSpace photoColourSpace(const imaging::Photo& photo)
{
    return colourSpaceOf(photo.iccProfile);
}

bool needsDisplayConversion(const QColorSpace& colourSpace)
{
    return colourSpace.isValid() && colourSpace != QColorSpace(QColorSpace::SRgb);
}

QImage toDisplayColours(QImage image, const QColorSpace& colourSpace)
{
    if (image.isNull() || !needsDisplayConversion(colourSpace))
        return image;
    image.setColorSpace(colourSpace);
    image.convertToColorSpace(QColorSpace::SRgb);
    return image;
}

QImage fromDisplayColours(QImage image, const QColorSpace& colourSpace)
{
    if (image.isNull() || !needsDisplayConversion(colourSpace))
        return image;
    image.setColorSpace(QColorSpace::SRgb);
    image.convertToColorSpace(colourSpace);
    return image;
}

}  // namespace refine::ui
