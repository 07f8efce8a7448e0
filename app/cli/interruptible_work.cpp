#include "interruptible_work.h"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <thread>

#include "exit_codes.h"
#include "refine/engine/error.h"

namespace refine::cli {
namespace {

/// How often the watching thread looks at the token: well under what a person notices.
constexpr std::chrono::milliseconds kWatchInterval{50};

/// How the work ended, handed from the worker to the watching thread.
struct WorkOutcome {
    std::mutex mutex;
    std::condition_variable ended;
    bool done = false;
    std::exception_ptr error;
};

}  // namespace

InterruptibleWork::InterruptibleWork(const CancelToken& cancel, std::string stopMessage)
    : m_cancel(cancel), m_stopMessage(std::move(stopMessage))
{
}

void InterruptibleWork::run(const std::function<void()>& work)
{
    if (m_cancel.isCancelled())
        throw Cancelled();
    WorkOutcome outcome;
    std::thread worker([&work, &outcome] {
        std::exception_ptr error;
        try {
            work();
        } catch (...) {
            error = std::current_exception();
        }
        const std::lock_guard<std::mutex> lock(outcome.mutex);
        outcome.error = error;
        outcome.done = true;
        outcome.ended.notify_one();
    });
    {
        std::unique_lock<std::mutex> lock(outcome.mutex);
        while (!outcome.done) {
            if (m_cancel.isCancelled()) {
                lock.unlock();  // the worker may still report, but nobody waits for it any more
                stopNow();
            }
            outcome.ended.wait_for(lock, kWatchInterval);
        }
    }
    worker.join();
    if (m_cancel.isCancelled())
        throw Cancelled();
    if (outcome.error)
        std::rethrow_exception(outcome.error);
}

void InterruptibleWork::writeFile(const std::function<void()>& write) const
{
    const std::lock_guard<std::mutex> lock(m_writing);
    if (m_cancel.isCancelled())
        throw Cancelled();
    write();
}

void InterruptibleWork::stopNow() const
{
    m_writing.lock();  // the file being written is finished first, and no other is begun
    std::fflush(stdout);
    std::fprintf(stderr, "\n%s\n", m_stopMessage.c_str());
    std::fflush(stderr);
    std::_Exit(kExitCancelled);  // the worker is still inside a stage that cannot be interrupted
}

}  // namespace refine::cli
