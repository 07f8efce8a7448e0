#include "colour_profiles.h"

#include "exiv2_support.h"

#include <lcms2.h>

#include <memory>

namespace refine::imaging::detail {
namespace {

struct ProfileCloser {
    void operator()(void* profile) const { cmsCloseProfile(profile); }
};
using Profile = std::unique_ptr<void, ProfileCloser>;

struct TransformDeleter {
    void operator()(void* transform) const { cmsDeleteTransform(transform); }
};
using Transform = std::unique_ptr<void, TransformDeleter>;

Profile openProfile(const IccBytes& icc)
{
    return Profile(icc.empty() ? nullptr : cmsOpenProfileFromMem(icc.data(), cmsUInt32Number(icc.size())));
}

IccBytes serialise(cmsHPROFILE profile)
{
    cmsUInt32Number size = 0;
    if (!profile || !cmsSaveProfileToMem(profile, nullptr, &size) || size == 0)
        return {};
    IccBytes bytes(size);
    if (!cmsSaveProfileToMem(profile, bytes.data(), &size))
        return {};
    bytes.resize(size);
    return bytes;
}

// Little CMS has no float transform from its inverted ("_REV") integer layouts: the caller's
// samples are inverted here instead.
cv::Mat plainCmyk(const cv::Mat& cmyk, bool inverted)
{
    if (!inverted)
        return cmyk;
    cv::Mat plain;
    cv::subtract(cv::Scalar::all(cmyk.depth() == CV_16U ? 65535.0 : 255.0), cmyk, plain);
    return plain;
}

}  // namespace

ProfileSpace profileSpace(const IccBytes& icc)
{
    if (icc.size() < 128)
        return ProfileSpace::None;
    const std::string signature(icc.begin() + 16, icc.begin() + 20);
    if (signature == "RGB ")
        return ProfileSpace::Rgb;
    if (signature == "GRAY")
        return ProfileSpace::Gray;
    if (signature == "CMYK")
        return ProfileSpace::Cmyk;
    return ProfileSpace::Other;
}

IccBytes readEmbeddedProfile(const std::vector<unsigned char>& encoded) noexcept
{
    try {
        const auto image = openImage(encoded);
        if (!image->iccProfileDefined())
            return {};
        const Exiv2::DataBuf* icc = image->iccProfile();
        return IccBytes(icc->pData_, icc->pData_ + icc->size_);
    } catch (...) {
        return {};
    }
}

cv::Mat cmykToSrgb(const cv::Mat& cmyk, const IccBytes& profile, bool inverted)
{
    const Profile source = openProfile(profile);
    const Profile srgb(cmsCreate_sRGBProfile());
    if (!source || !srgb || cmsGetColorSpace(source.get()) != cmsSigCmykData)
        return {};
    const cmsUInt32Number format = cmyk.depth() == CV_16U ? TYPE_CMYK_16 : TYPE_CMYK_8;
    const Transform transform(cmsCreateTransform(source.get(), format, srgb.get(), TYPE_RGB_FLT,
                                                 INTENT_RELATIVE_COLORIMETRIC, cmsFLAGS_BLACKPOINTCOMPENSATION));
    if (!transform)
        return {};
    const cv::Mat samples = plainCmyk(cmyk, inverted);
    cv::Mat rgb(cmyk.size(), CV_32FC3);
    for (int y = 0; y < samples.rows; ++y)
        cmsDoTransform(transform.get(), samples.ptr(y), rgb.ptr(y), cmsUInt32Number(samples.cols));
    // Float transforms are unbounded: keep the [0, 1] range every RGB photo has.
    return cv::min(cv::max(rgb, 0.0), 1.0);
}

cv::Mat cmykToRgbNaive(const cv::Mat& cmyk, bool inverted)
{
    cv::Mat unit;
    plainCmyk(cmyk, inverted).convertTo(unit, CV_32F, cmyk.depth() == CV_16U ? 1.0 / 65535 : 1.0 / 255);
    cv::Mat rgb(cmyk.size(), CV_32FC3);
    for (int y = 0; y < cmyk.rows; ++y) {
        const auto* in = unit.ptr<cv::Vec4f>(y);
        auto* out = rgb.ptr<cv::Vec3f>(y);
        for (int x = 0; x < cmyk.cols; ++x) {
            const float white = 1.f - in[x][3];
            out[x] = {(1.f - in[x][0]) * white, (1.f - in[x][1]) * white, (1.f - in[x][2]) * white};
        }
    }
    return rgb;
}

IccBytes srgbProfile()
{
    const Profile srgb(cmsCreate_sRGBProfile());
    return serialise(srgb.get());
}

IccBytes rgbProfileForGray(const IccBytes& grayProfile)
{
    const Profile gray = openProfile(grayProfile);
    if (!gray || cmsGetColorSpace(gray.get()) != cmsSigGrayData)
        return {};
    const auto* curve = static_cast<const cmsToneCurve*>(cmsReadTag(gray.get(), cmsSigGrayTRCTag));
    if (!curve)
        return {};
    // A matrix-shaper profile maps R = G = B to the white point's chromaticity, which every
    // profile's connection space puts at D50, just where a grey profile puts its greys: only the
    // tone curve decides the lightness, so the curve alone makes the two equivalent.
    cmsCIExyY d65;
    cmsWhitePointFromTemp(&d65, 6504);
    const cmsCIExyYTRIPLE srgbPrimaries = {{0.64, 0.33, 1.0}, {0.30, 0.60, 1.0}, {0.15, 0.06, 1.0}};
    cmsToneCurve* curves[3] = {const_cast<cmsToneCurve*>(curve), const_cast<cmsToneCurve*>(curve),
                               const_cast<cmsToneCurve*>(curve)};
    const Profile rgb(cmsCreateRGBProfile(&d65, &srgbPrimaries, curves));
    if (!rgb)
        return {};
    cmsMLU* description = cmsMLUalloc(nullptr, 1);
    cmsMLUsetASCII(description, "en", "US", "Grey as RGB (Refine)");
    cmsWriteTag(rgb.get(), cmsSigProfileDescriptionTag, description);
    cmsMLUfree(description);
    return serialise(rgb.get());
}

}  // namespace refine::imaging::detail
