#pragma once
/// @file test_profiles.h
/// @brief ICC profiles made by the imaging tests with Little CMS.

#include <lcms2.h>

#include <vector>

namespace refine::test {

/// Serialises a profile and closes it.
inline std::vector<unsigned char> saveProfile(cmsHPROFILE profile)
{
    cmsUInt32Number size = 0;
    cmsSaveProfileToMem(profile, nullptr, &size);
    std::vector<unsigned char> icc(size);
    cmsSaveProfileToMem(profile, icc.data(), &size);
    cmsCloseProfile(profile);
    return icc;
}

/// A grey profile with a pure gamma tone curve on D50.
inline std::vector<unsigned char> grayProfile(double gamma)
{
    cmsToneCurve* curve = cmsBuildGamma(nullptr, gamma);
    const std::vector<unsigned char> icc = saveProfile(cmsCreateGrayProfile(cmsD50_xyY(), curve));
    cmsFreeToneCurve(curve);
    return icc;
}

}  // namespace refine::test
