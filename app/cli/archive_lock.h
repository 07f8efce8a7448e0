#pragma once
/// @file archive_lock.h
/// @brief Per-photo locks, so that two runs (the same shard submitted twice, or overlapping
/// shardings) never enhance the same photo, and so never write the same file, at the same time.
///
/// One lock file per archive; photo i is byte i of it, locked with POSIX record locks (fcntl),
/// which the kernel drops when a worker dies and NFS carries (its lock service). Status asks
/// the same locks which photos are in progress.

#include <filesystem>
#include <set>
#include <vector>

namespace refine::cli {

class PhotoLocks {
public:
    /// Opens (creating) the lock file. @throws refine::Error Io
    explicit PhotoLocks(const std::filesystem::path& file);
    ~PhotoLocks();
    PhotoLocks(const PhotoLocks&) = delete;
    PhotoLocks& operator=(const PhotoLocks&) = delete;

    /// false: another process is working on the photo. @throws refine::Error Io when the file
    /// system refuses locks altogether
    bool tryLock(int photoId);
    void unlock(int photoId);

private:
    int m_fd = -1;
};

/// Holds one photo's lock for a scope.
class PhotoLockGuard {
public:
    PhotoLockGuard(PhotoLocks& locks, int photoId) : m_locks(locks), m_photoId(photoId), m_held(locks.tryLock(photoId)) {}
    ~PhotoLockGuard()
    {
        if (m_held)
            m_locks.unlock(m_photoId);
    }
    PhotoLockGuard(const PhotoLockGuard&) = delete;
    PhotoLockGuard& operator=(const PhotoLockGuard&) = delete;
    bool held() const { return m_held; }

private:
    PhotoLocks& m_locks;
    int m_photoId;
    bool m_held;
};

/// Which of `photoIds` some process holds the lock of in `file` (none when there is no file).
/// Not for a process that holds locks itself: closing any descriptor of the file would drop them.
std::set<int> lockedPhotos(const std::filesystem::path& file, const std::vector<int>& photoIds);

/// `photos.lock` in the log folder.
std::filesystem::path lockFileIn(const std::filesystem::path& logFolder);

}  // namespace refine::cli
