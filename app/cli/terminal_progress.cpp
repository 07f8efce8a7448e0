#include "terminal_progress.h"

#include <cmath>
#include <cstdio>
#include <sstream>

#include <unistd.h>

namespace refine::cli {

std::string formatDuration(double seconds)
{
    if (seconds < 0)
        return "?";
    const long total = std::lround(seconds);
    if (total < 60)
        return std::to_string(total) + " s";
    std::ostringstream s;
    s << total / 60 << ":" << (total % 60 < 10 ? "0" : "") << total % 60;
    return s.str();
}

TerminalProgress::TerminalProgress(std::string label, bool quiet)
    : m_label(std::move(label)), m_quiet(quiet), m_tty(isatty(fileno(stderr)) != 0)
{
}

TerminalProgress::~TerminalProgress() { finish(); }

void TerminalProgress::onProgress(const EnhanceProgress& p)
{
    if (m_quiet)
        return;
    const auto now = std::chrono::steady_clock::now();
    const auto interval = m_tty ? std::chrono::milliseconds(100) : std::chrono::milliseconds(5000);
    const bool last = p.step == p.stepCount && p.stage + 1 == p.stageCount && p.chunk + 1 == p.chunkCount;
    if (now - m_lastDraw < interval && !last)
        return;
    m_lastDraw = now;
    draw(p);
}

void TerminalProgress::draw(const EnhanceProgress& p)
{
    constexpr int kWidth = 30;
    const int filled = int(std::lround(p.fraction * kWidth));
    std::string bar(size_t(filled), '#');
    bar.append(size_t(kWidth - filled), '-');
    std::ostringstream line;
    line << m_label << " [" << bar << "] " << std::lround(p.fraction * 100) << "%";
    if (p.stageCount > 1)
        line << "  stage " << p.stage + 1 << "/" << p.stageCount;
    if (p.chunkCount > 1)
        line << "  batch " << p.chunk + 1 << "/" << p.chunkCount;
    line << "  step " << p.step << "/" << p.stepCount << "  " << formatDuration(p.elapsedSeconds)
         << " elapsed, ETA " << formatDuration(p.etaSeconds);
    if (m_tty)
        std::fprintf(stderr, "\r\033[K%s", line.str().c_str());
    else
        std::fprintf(stderr, "%s\n", line.str().c_str());
    std::fflush(stderr);
    m_open = m_tty;
}

void TerminalProgress::finish()
{
    if (m_open)
        std::fprintf(stderr, "\n");
    m_open = false;
}

}  // namespace refine::cli
