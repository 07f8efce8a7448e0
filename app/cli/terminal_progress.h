#pragma once
/// @file terminal_progress.h
/// @brief A one-line progress bar with ETA on stderr, redrawn at most ten times a second
/// (plain periodic lines when stderr is not a terminal, so logs stay readable).

#include <chrono>
#include <string>

#include "refine/engine/enhance.h"

namespace refine::cli {

class TerminalProgress : public EnhanceObserver {
public:
    explicit TerminalProgress(std::string label, bool quiet = false);
    ~TerminalProgress() override;

    void onProgress(const EnhanceProgress& progress) override;
    /// Ends the bar's line (call before printing anything else).
    void finish();

private:
    void draw(const EnhanceProgress& progress);

    std::string m_label;
    bool m_quiet;
    bool m_tty;
    bool m_open = false;
    std::chrono::steady_clock::time_point m_lastDraw{};
};

/// "1:05" or "12 s".
std::string formatDuration(double seconds);

}  // namespace refine::cli
