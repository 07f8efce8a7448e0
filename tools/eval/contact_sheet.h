#pragma once
/// @file contact_sheet.h
/// @brief A PNG grid for looking at what the numbers mean: one row per image, columns
/// LR (nearest-neighbour enlarged, so its pixels show) | bicubic | SR candidates | ground truth.

#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace refine::eval {

/// One row of the sheet; all images RGB float [0, 1].
struct ContactRow {
    cv::Mat lowRes;
    cv::Mat bicubic;
    cv::Mat clean;                   ///< residual-shift models' clean result; empty otherwise
    std::vector<cv::Mat> candidates;
    cv::Mat groundTruth;
};

struct ContactSheetLayout {
    int maxRows = 6;
    int maxCandidates = 4;
    int maxCellSide = 256;   ///< cells are the ground truth's size, shrunk to at most this
    int zoom = 1;            ///< > 1: cells are the ground truth's size times this, pixels repeated (no cap)
    int gap = 4;
    bool labels = true;      ///< a header line naming the columns
};

/// The sheet as RGB float [0, 1] (CV_32FC3). Rows beyond layout.maxRows are left out.
cv::Mat renderContactSheet(const std::vector<ContactRow>& rows, const ContactSheetLayout& layout = {});

}  // namespace refine::eval
