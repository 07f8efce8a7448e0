#include "archive_lock.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

#include "refine/engine/error.h"

namespace refine::cli {
namespace {

struct flock byteOf(int photoId, short type)
{
    struct flock lock {};
    lock.l_type = type;
    lock.l_whence = SEEK_SET;
    lock.l_start = photoId;
    lock.l_len = 1;
    return lock;
}

}  // namespace

PhotoLocks::PhotoLocks(const std::filesystem::path& file)
{
    m_fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (m_fd < 0)
        throw Error(ErrorCode::Io, "cannot open the lock file " + file.string() + ": " + std::strerror(errno));
}

PhotoLocks::~PhotoLocks()
{
    if (m_fd >= 0)
        ::close(m_fd);  // also releases any lock still held
}

bool PhotoLocks::tryLock(int photoId)
{
    struct flock lock = byteOf(photoId, F_WRLCK);
    if (::fcntl(m_fd, F_SETLK, &lock) == 0)
        return true;
    if (errno == EACCES || errno == EAGAIN)
        return false;
    throw Error(ErrorCode::Io, std::string("cannot lock a photo (does the file system support locks?): ") +
                                   std::strerror(errno));
}

void PhotoLocks::unlock(int photoId)
{
    struct flock lock = byteOf(photoId, F_UNLCK);
    ::fcntl(m_fd, F_SETLK, &lock);
}

std::set<int> lockedPhotos(const std::filesystem::path& file, const std::vector<int>& photoIds)
{
    std::set<int> locked;
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return locked;
    for (int id : photoIds) {
        struct flock lock = byteOf(id, F_WRLCK);
        if (::fcntl(fd, F_GETLK, &lock) == 0 && lock.l_type != F_UNLCK)
            locked.insert(id);
    }
    ::close(fd);
    return locked;
}

std::filesystem::path lockFileIn(const std::filesystem::path& logFolder)
{
    return logFolder / "photos.lock";
}

}  // namespace refine::cli
