// Reading photos from disk and writing results atomically.

#include "refine/imaging/image_io.h"

#include "refine/engine/error.h"

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <random>
#include <system_error>

#ifdef _WIN32
#include <io.h>
#else
#include <unistd.h>
#endif

namespace refine::imaging {
namespace {

namespace fs = std::filesystem;

std::string shown(const fs::path& path) { return path.u8string(); }

std::string systemErrorText(int error) { return std::error_code(error, std::generic_category()).message(); }
std::string lastSystemError() { return systemErrorText(errno); }

std::string randomSuffix()
{
    static const char kChars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::random_device entropy;
    std::uniform_int_distribution<int> pick(0, static_cast<int>(sizeof(kChars)) - 2);
    std::string suffix;
    for (int i = 0; i < 6; ++i)
        suffix += kChars[pick(entropy)];
    return suffix;
}

// Creates a file only if nothing of that name exists ("x" mode, i.e. O_EXCL), so a temporary
// name can never clobber someone else's file.
std::FILE* createExclusively(const fs::path& path)
{
#ifdef _WIN32
    return _wfopen(path.c_str(), L"wbx");
#else
    return std::fopen(path.c_str(), "wbx");
#endif
}

bool syncToDisk(std::FILE* file)
{
    if (std::fflush(file) != 0)
        return false;
#ifdef _WIN32
    return _commit(_fileno(file)) == 0;
#else
    return ::fsync(fileno(file)) == 0;
#endif
}

/// A temporary file beside the target; removed on destruction unless committed.
class TempFile {
public:
    explicit TempFile(const fs::path& target)
    {
        for (int attempt = 0; attempt < 32 && !m_file; ++attempt) {
            m_path = target;
            m_path += ".tmp-" + randomSuffix();
            m_file = createExclusively(m_path);
            if (!m_file && errno != EEXIST)
                break;
        }
        if (!m_file)
            throw Error(ErrorCode::Io, "Could not create a file beside " + shown(target) + ": " +
                                           lastSystemError());
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    ~TempFile()
    {
        close();
        if (!m_committed) {
            std::error_code ignored;
            fs::remove(m_path, ignored);
        }
    }

    const fs::path& path() const { return m_path; }

    void write(const std::vector<unsigned char>& bytes, const fs::path& target)
    {
        bool ok = std::fwrite(bytes.data(), 1, bytes.size(), m_file) == bytes.size() &&
                  syncToDisk(m_file);
        int error = errno;  // before close() can change it
        if (!close() && ok) {
            ok = false;
            error = errno;
        }
        if (!ok)
            throw Error(ErrorCode::Io, "Could not write " + shown(target) + ": " + systemErrorText(error));
    }

    void commit() { m_committed = true; }

private:
    bool close()
    {
        const bool ok = !m_file || std::fclose(m_file) == 0;
        m_file = nullptr;
        return ok;
    }

    fs::path m_path;
    std::FILE* m_file = nullptr;
    bool m_committed = false;
};

[[noreturn]] void throwExists(const fs::path& target)
{
    throw Error(ErrorCode::Io, shown(target) + " already exists; Refine does not overwrite files");
}

// Moves the finished temporary file to the target name. Without overwriting, POSIX link()
// publishes it atomically and fails if the target appeared meanwhile; where hard links are not
// available (FAT, some network shares, Windows) an existence check guards a plain rename.
void moveIntoPlace(TempFile& temp, const fs::path& target, bool allowOverwrite)
{
#ifndef _WIN32
    if (!allowOverwrite) {
        if (::link(temp.path().c_str(), target.c_str()) == 0)
            return;  // the temporary name is removed by TempFile
        if (errno == EEXIST)
            throwExists(target);
    }
#endif
    std::error_code ec;
    if (!allowOverwrite && fs::exists(target, ec))
        throwExists(target);
    fs::rename(temp.path(), target, ec);
    if (ec)
        throw Error(ErrorCode::Io, "Could not write " + shown(target) + ": " + ec.message());
    temp.commit();
}

}  // namespace

std::vector<unsigned char> readFileBytes(const fs::path& path)
{
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        throw Error(ErrorCode::Io, fs::exists(path, ec) ? shown(path) + " is not a file"
                                                         : shown(path) + " does not exist");
    std::ifstream in(path, std::ios::binary);
    const auto size = fs::file_size(path, ec);
    if (!in || ec)
        throw Error(ErrorCode::Io, "Could not open " + shown(path) + ": " + lastSystemError());
    std::vector<unsigned char> bytes(static_cast<std::size_t>(size));
    in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (in.gcount() != static_cast<std::streamsize>(bytes.size()))
        throw Error(ErrorCode::Io, "Could not read " + shown(path) + ": " + lastSystemError());
    return bytes;
}

Photo readPhoto(const fs::path& path, const DecodeLimits& limits)
{
    return decodePhoto(readFileBytes(path), path.filename().u8string(), limits);
}

ImageInfo readImageInfo(const fs::path& path)
{
    return readImageInfo(readFileBytes(path), path.filename().u8string());
}

Thumbnail readThumbnail(const fs::path& path, int maxSide, const DecodeLimits& limits)
{
    return decodeThumbnail(readFileBytes(path), path.filename().u8string(), maxSide, limits);
}

void writeFileAtomically(const fs::path& target, const std::vector<unsigned char>& bytes,
                         bool allowOverwrite)
{
    std::error_code ec;
    if (!allowOverwrite && fs::exists(target, ec))
        throwExists(target);  // fail before writing what may be hundreds of megabytes
    TempFile temp(target);
    temp.write(bytes, target);
    moveIntoPlace(temp, target, allowOverwrite);
}

}  // namespace refine::imaging
