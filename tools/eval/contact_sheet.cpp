#include "contact_sheet.h"

#include <algorithm>

#include <opencv2/imgproc.hpp>

namespace refine::eval {
namespace {

const cv::Scalar kBackground(0.12, 0.12, 0.12);
const cv::Scalar kTextColour(0.9, 0.9, 0.9);
constexpr int kLabelHeight = 18;
constexpr int kFont = cv::FONT_HERSHEY_SIMPLEX;

/// Shrinking averages (no aliasing); enlarging repeats pixels, so nothing looks sharper or
/// smoother on the sheet than it is.
cv::Mat fitToCell(const cv::Mat& image, int side, bool nearest)
{
    if (image.cols == side && image.rows == side)
        return image;
    const double f = double(side) / std::max(image.cols, image.rows);
    const cv::Size size(std::max(1, int(image.cols * f + 0.5)), std::max(1, int(image.rows * f + 0.5)));
    const int interpolation = nearest || f > 1.0 ? cv::INTER_NEAREST : cv::INTER_AREA;
    cv::Mat out;
    cv::resize(image, out, size, 0, 0, interpolation);
    return out;
}

/// Pastes `image` centred in the cell whose top-left corner is `origin`.
void paste(cv::Mat& sheet, const cv::Mat& image, cv::Point origin, int side)
{
    const cv::Point offset = origin + cv::Point((side - image.cols) / 2, (side - image.rows) / 2);
    image.copyTo(sheet(cv::Rect(offset, image.size())));
}

int candidateColumns(const std::vector<ContactRow>& rows, size_t used, int maxCandidates)
{
    int most = 0;
    for (size_t r = 0; r < used; ++r)
        most = std::max(most, int(rows[r].candidates.size()));
    return std::min(most, maxCandidates);
}

int cellSide(const std::vector<ContactRow>& rows, size_t used, int maxCellSide)
{
    int largest = 1;
    for (size_t r = 0; r < used; ++r)
        largest = std::max({largest, rows[r].groundTruth.cols, rows[r].groundTruth.rows});
    return std::min(largest, maxCellSide);
}

bool anyClean(const std::vector<ContactRow>& rows, size_t used)
{
    for (size_t r = 0; r < used; ++r)
        if (!rows[r].clean.empty())
            return true;
    return false;
}

std::vector<std::string> columnLabels(int candidates, bool clean)
{
    std::vector<std::string> labels{"LR", "bicubic"};
    if (clean)
        labels.push_back("clean");
    for (int k = 0; k < candidates; ++k)
        labels.push_back("SR " + std::to_string(k + 1));
    labels.push_back("ground truth");
    return labels;
}

/// A label centred over its column, made smaller when the column is narrow.
void drawLabel(cv::Mat& sheet, const std::string& text, int left, int side)
{
    double scale = 0.45;
    int baseline = 0;
    cv::Size size = cv::getTextSize(text, kFont, scale, 1, &baseline);
    if (size.width > side - 4) {
        scale *= double(side - 4) / size.width;
        size = cv::getTextSize(text, kFont, scale, 1, &baseline);
    }
    const cv::Point at(left + (side - size.width) / 2, (kLabelHeight + size.height) / 2);
    cv::putText(sheet, text, at, kFont, scale, kTextColour, 1, cv::LINE_AA);
}

/// The cells of one row, left to right; empty where a row has fewer candidates.
std::vector<cv::Mat> rowCells(const ContactRow& row, int candidates, bool clean, int side)
{
    std::vector<cv::Mat> cells{fitToCell(row.lowRes, side, /*nearest=*/true), fitToCell(row.bicubic, side, false)};
    if (clean)
        cells.push_back(row.clean.empty() ? cv::Mat() : fitToCell(row.clean, side, false));
    for (int k = 0; k < candidates; ++k)
        cells.push_back(k < int(row.candidates.size()) ? fitToCell(row.candidates[size_t(k)], side, false) : cv::Mat());
    cells.push_back(fitToCell(row.groundTruth, side, false));
    return cells;
}

}  // namespace

cv::Mat renderContactSheet(const std::vector<ContactRow>& rows, const ContactSheetLayout& layout)
{
    const size_t used = std::min(rows.size(), size_t(std::max(0, layout.maxRows)));
    if (used == 0)
        return {};
    const int candidates = candidateColumns(rows, used, layout.maxCandidates);
    const int side = layout.zoom > 1 ? cellSide(rows, used, 1 << 20) * layout.zoom : cellSide(rows, used, layout.maxCellSide);
    const bool clean = anyClean(rows, used);
    const int columns = candidates + 3 + (clean ? 1 : 0), gap = layout.gap;
    const int top = layout.labels ? kLabelHeight : 0;
    const int width = columns * side + (columns + 1) * gap;
    const int height = top + int(used) * side + (int(used) + 1) * gap;
    cv::Mat sheet(height, width, CV_32FC3, kBackground);

    if (layout.labels) {
        const auto labels = columnLabels(candidates, clean);
        for (int c = 0; c < columns; ++c)
            drawLabel(sheet, labels[size_t(c)], gap + c * (side + gap), side);
    }
    for (size_t r = 0; r < used; ++r) {
        const auto cells = rowCells(rows[r], candidates, clean, side);
        const int y = top + gap + int(r) * (side + gap);
        for (int c = 0; c < columns; ++c)
            if (!cells[size_t(c)].empty())
                paste(sheet, cells[size_t(c)], {gap + c * (side + gap), y}, side);
    }
    return sheet;
}

}  // namespace refine::eval
