#pragma once
/// @file memory_file.h
/// @brief A file in memory for the fuzz targets whose code under test reads a path: each input is
/// written to an anonymous memory file (memfd) and read back through /proc/self/fd/N, so a run
/// touches no disk and leaves nothing behind.

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace refine::fuzz {

class MemoryFile {
public:
    explicit MemoryFile(const char* name) : m_fd(memfd_create(name, 0))
    {
        if (m_fd < 0) {
            std::perror("memfd_create");
            std::abort();
        }
        m_path = "/proc/self/fd/" + std::to_string(m_fd);
    }
    ~MemoryFile() { close(m_fd); }
    MemoryFile(const MemoryFile&) = delete;
    MemoryFile& operator=(const MemoryFile&) = delete;

    /// Replaces the contents with `data` and returns the path that reads them.
    const std::string& write(const uint8_t* data, size_t size)
    {
        if (ftruncate(m_fd, 0) != 0)
            fail("ftruncate");
        size_t written = 0;
        while (written < size) {
            const ssize_t n = pwrite(m_fd, data + written, size - written, off_t(written));
            if (n <= 0)
                fail("pwrite");
            written += size_t(n);
        }
        return m_path;
    }

private:
    [[noreturn]] static void fail(const char* what)
    {
        std::perror(what);  // the harness, not the code under test, failed
        std::abort();
    }

    int m_fd;
    std::string m_path;
};

}  // namespace refine::fuzz
