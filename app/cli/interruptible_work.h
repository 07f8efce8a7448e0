#pragma once
/// @file interruptible_work.h
/// @brief Ctrl+C and SIGTERM honoured within a fraction of a second, even inside a stage that
/// never looks at the cancel token (decoding a large photo, a long allocation, loading a model).
///
/// The engine checks its CancelToken once per step and tile; a decoder or an allocator does not.
/// So the long stages of a command run on a worker thread while the calling thread watches the
/// token. When it is set and the work has not ended by itself, the process stops where it
/// stands with exit code 130. Nothing is lost by that: outputs are written only through
/// writeFile(), and a cancel waits for the file being written, after which no other is begun;
/// every file is written to a temporary name and renamed (writeFileAtomically), so no partial
/// file is ever left.

#include <functional>
#include <mutex>
#include <string>

#include "refine/engine/enhance.h"

namespace refine::cli {

class InterruptibleWork {
public:
    /// `stopMessage` is printed on stderr when a cancel stops the process.
    InterruptibleWork(const CancelToken& cancel, std::string stopMessage);

    /// Runs `work` on a worker thread and waits for it, rethrowing what it threw. Once the token
    /// is set: if the work has ended, throws refine::Cancelled whatever the work threw (a failure
    /// caused by the interruption is not reported as a failure); if it has not ended, prints the
    /// stop message and ends the process with kExitCancelled, without waiting for the work.
    /// Call it from one thread only (the one that owns the command).
    void run(const std::function<void()>& work);

    /// For the work to write an output file: runs `write` unless the token is set (then throws
    /// refine::Cancelled). While `write` runs, a cancel waits for it to finish.
    void writeFile(const std::function<void()>& write) const;

private:
    [[noreturn]] void stopNow() const;

    const CancelToken& m_cancel;
    std::string m_stopMessage;
    mutable std::mutex m_writing;  ///< held while a file is written, and by stopNow() for good
};

}  // namespace refine::cli
