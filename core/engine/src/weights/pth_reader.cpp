#include "weights/pth_reader.h"

#include "refine/engine/error.h"
#include "weights/pickle_reader.h"

#include <caffe2/serialize/inline_container.h>
#include <c10/util/Exception.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <vector>

namespace refine::weights {
namespace {

namespace fs = std::filesystem;
using caffe2::serialize::PyTorchStreamReader;

// What `torch.save` writes with the legacy (pre-1.6) serialization: a pickled magic number.
constexpr char kLegacyMagic[] = "\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19";
constexpr size_t kLegacyMagicSize = sizeof kLegacyMagic - 1;

// Deflate cannot expand data by more than about 1032:1, so a record claiming more is a lie.
constexpr uint64_t kMaxDeflateRatio = 1032;

[[noreturn]] void badModel(const std::string& message) { throw Error(ErrorCode::BadModel, message); }

bool checkedMul(uint64_t a, uint64_t b, uint64_t& out)
{
    if (a != 0 && b > UINT64_MAX / a) return false;
    out = a * b;
    return true;
}

bool checkedAdd(uint64_t a, uint64_t b, uint64_t& out)
{
    if (b > UINT64_MAX - a) return false;
    out = a + b;
    return true;
}

// ---- zip directory guard ------------------------------------------------------------------------
// LibTorch's zip reader allocates whatever size a record's directory entry claims before reading
// it. These functions read the zip's central directory first and check every claim against the
// file size, so a hostile archive cannot make us allocate absurd amounts of memory.

/// A little-endian field of `n` bytes at `at`; callers have checked the bounds.
uint64_t le(const std::vector<uint8_t>& bytes, size_t at, size_t n)
{
    uint64_t value = 0;
    for (size_t i = 0; i < n; ++i) value |= uint64_t{bytes[at + i]} << (8 * i);
    return value;
}

struct ZipFile {
    std::ifstream in;
    uint64_t size = 0;
    std::string label;

    /// Reads `n` bytes at `offset`; fails as corrupt when they lie beyond the end of the file.
    std::vector<uint8_t> read(uint64_t offset, uint64_t n)
    {
        if (offset > size || n > size - offset) badModel(label + ": the zip archive is truncated or corrupt");
        std::vector<uint8_t> bytes(static_cast<size_t>(n));
        in.seekg(static_cast<std::streamoff>(offset));
        in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(n));
        if (!in) throw Error(ErrorCode::Io, label + ": read error");
        return bytes;
    }
};

struct ZipDirectory {
    uint64_t offset = 0;
    uint64_t size = 0;
    uint64_t entries = 0;
};

/// Tells a legacy checkpoint or a non-zip file apart from a zip before anything else reads it.
void checkZipSignature(ZipFile& zip)
{
    if (zip.size >= kLegacyMagicSize) {
        const std::vector<uint8_t> head = zip.read(0, kLegacyMagicSize);
        if (std::memcmp(head.data(), kLegacyMagic, kLegacyMagicSize) == 0) {
            badModel(zip.label +
                " is a legacy (pre-1.6) PyTorch file; re-save it with "
                "torch.save(..., _use_new_zipfile_serialization=True)");
        }
    }
    if (zip.size < 4 || le(zip.read(0, 4), 0, 4) != 0x04034b50) {
        badModel(zip.label + " is not a PyTorch checkpoint (not a zip archive, or truncated)");
    }
}

/// Zip64 archives keep the directory's location in a second record just before the usual one.
ZipDirectory readZip64Directory(ZipFile& zip, uint64_t endRecordAt)
{
    if (endRecordAt < 20) badModel(zip.label + ": the zip directory is corrupt");
    const std::vector<uint8_t> locator = zip.read(endRecordAt - 20, 20);
    if (le(locator, 0, 4) != 0x07064b50) badModel(zip.label + ": the zip directory is corrupt");
    const std::vector<uint8_t> end64 = zip.read(le(locator, 8, 8), 56);
    if (le(end64, 0, 4) != 0x06064b50) badModel(zip.label + ": the zip directory is corrupt");
    return ZipDirectory{le(end64, 48, 8), le(end64, 40, 8), le(end64, 32, 8)};
}

/// Finds the end-of-central-directory record, which sits in the last 22 + 65535 bytes.
ZipDirectory locateDirectory(ZipFile& zip)
{
    const uint64_t tailSize = std::min<uint64_t>(zip.size, 22 + 0xffff);
    const std::vector<uint8_t> tail = zip.read(zip.size - tailSize, tailSize);
    for (size_t at = tail.size() >= 22 ? tail.size() - 22 + 1 : 0; at-- > 0;) {
        if (le(tail, at, 4) != 0x06054b50) continue;
        ZipDirectory dir{le(tail, at + 16, 4), le(tail, at + 12, 4), le(tail, at + 10, 2)};
        if (dir.entries == 0xffff || dir.size == 0xffffffff || dir.offset == 0xffffffff) {
            dir = readZip64Directory(zip, zip.size - tailSize + at);
        }
        return dir;
    }
    badModel(zip.label + " is truncated or not a complete zip archive (no zip directory at its end)");
}

/// Reads a zip64 extra field's sizes for the fields whose 32-bit value is the 0xffffffff marker.
bool readZip64Sizes(
    const std::vector<uint8_t>& cd, size_t extraAt, size_t extraLen, uint64_t& uncompressed, uint64_t& compressed)
{
    for (size_t at = extraAt; at + 4 <= extraAt + extraLen;) {
        const uint64_t id = le(cd, at, 2);
        const size_t len = static_cast<size_t>(le(cd, at + 2, 2));
        if (at + 4 + len > extraAt + extraLen) return false;
        if (id == 0x0001) {
            size_t field = at + 4;
            for (uint64_t* value : {&uncompressed, &compressed}) {
                if (*value != 0xffffffff) continue;
                if (field + 8 > at + 4 + len) return false;
                *value = le(cd, field, 8);
                field += 8;
            }
            return true;
        }
        at += 4 + len;
    }
    return false;
}

/// One directory entry's claimed sizes must be possible for a file of this size.
void checkRecordSize(
    const ZipFile& zip, const std::string& name, uint64_t method, uint64_t compressed, uint64_t uncompressed)
{
    const std::string what = zip.label + ": zip record '" + name + "'";
    if (compressed > zip.size) badModel(what + " claims more bytes than the whole file holds");
    uint64_t deflateLimit = 0;
    if (method == 0 && uncompressed != compressed) badModel(what + " has inconsistent sizes");
    if (method == 8 &&
        (!checkedMul(compressed, kMaxDeflateRatio, deflateLimit) || uncompressed > deflateLimit + 1024)) {
        badModel(what + " claims an impossible uncompressed size");
    }
    if (method != 0 && method != 8) {
        badModel(what + " uses zip compression method " + std::to_string(method) + ", which PyTorch cannot read");
    }
}

/// Walks the central directory's entries and checks each one's sizes.
void checkDirectoryEntries(const ZipFile& zip, const std::vector<uint8_t>& cd, uint64_t entries)
{
    constexpr size_t kHeader = 46;
    size_t at = 0;
    for (uint64_t i = 0; i < entries; ++i) {
        if (at + kHeader > cd.size() || le(cd, at, 4) != 0x02014b50)
            badModel(zip.label + ": the zip directory is corrupt");
        const size_t nameLen = static_cast<size_t>(le(cd, at + 28, 2));
        const size_t extraLen = static_cast<size_t>(le(cd, at + 30, 2));
        const size_t commentLen = static_cast<size_t>(le(cd, at + 32, 2));
        if (at + kHeader + nameLen + extraLen + commentLen > cd.size())
            badModel(zip.label + ": the zip directory is corrupt");
        const std::string name(reinterpret_cast<const char*>(cd.data() + at + kHeader), nameLen);
        uint64_t compressed = le(cd, at + 20, 4);
        uint64_t uncompressed = le(cd, at + 24, 4);
        if ((compressed == 0xffffffff || uncompressed == 0xffffffff) &&
            !readZip64Sizes(cd, at + kHeader + nameLen, extraLen, uncompressed, compressed)) {
            badModel(zip.label + ": the zip directory is corrupt");
        }
        checkRecordSize(zip, name, le(cd, at + 10, 2), compressed, uncompressed);
        at += kHeader + nameLen + extraLen + commentLen;
    }
}

/// Opens the file (ErrorCode::Io if it cannot) and checks its zip structure before LibTorch reads it.
void checkArchive(const std::string& path, const std::string& label)
{
    std::error_code ec;
    if (!fs::exists(path, ec)) throw Error(ErrorCode::Io, "cannot open '" + path + "': no such file");
    if (!fs::is_regular_file(path, ec)) throw Error(ErrorCode::Io, "cannot open '" + path + "': not a regular file");
    ZipFile zip{std::ifstream(path, std::ios::binary), fs::file_size(path, ec), label};
    if (ec || !zip.in) throw Error(ErrorCode::Io, "cannot open '" + path + "'");
    checkZipSignature(zip);
    const ZipDirectory dir = locateDirectory(zip);
    if (dir.entries > dir.size / 46) badModel(label + ": the zip directory is corrupt");
    checkDirectoryEntries(zip, zip.read(dir.offset, dir.size), dir.entries);
}

// ---- LibTorch's archive reader ------------------------------------------------------------------

/// A record read from the archive; LibTorch allocated the bytes and the DataPtr owns them.
struct Record {
    at::DataPtr data;
    size_t size = 0;
};

std::string firstLine(const std::string& text) { return text.substr(0, text.find('\n')); }

/// Runs a LibTorch call, turning its exceptions into refine::Errors that name the file.
/// (Sizes were checked against the file first, so running out of memory is a real shortage.)
template <class F>
auto translateTorchErrors(const std::string& label, const std::string& doing, F&& call) -> decltype(call())
{
    try {
        return call();
    } catch (const std::bad_alloc&) {
        throw Error(ErrorCode::OutOfMemory, label + ": out of memory: " + doing);
    } catch (const c10::Error& e) {
        badModel(label + ": " + doing + ": " + firstLine(e.what_without_backtrace()));
    }
}

bool hasRecord(PyTorchStreamReader& reader, const std::string& name, const std::string& label)
{
    return translateTorchErrors(label, "cannot read the zip archive", [&] { return reader.hasRecord(name); });
}

Record readRecord(PyTorchStreamReader& reader, const std::string& name, const std::string& label)
{
    return translateTorchErrors(label, "cannot read record '" + name + "'", [&] {
        auto [data, size] = reader.getRecord(name);
        return Record{std::move(data), size};
    });
}

/// Refuses archives that are zips with the right layout but not a state dict we can read.
void checkArchiveKind(PyTorchStreamReader& reader, const std::string& label)
{
    if (hasRecord(reader, "constants.pkl", label)) {
        badModel(label +
            " is a TorchScript archive (torch.jit.save), not a state dict; "
            "save model.state_dict() with torch.save instead");
    }
    if (hasRecord(reader, "byteorder", label)) {
        const Record order = readRecord(reader, "byteorder", label);
        const std::string text(static_cast<const char*>(order.data.get()), order.size);
        if (text != "little") badModel(label + " stores its tensors big-endian, which Refine cannot read");
    }
    if (!hasRecord(reader, "data.pkl", label)) {
        badModel(label + " has no data.pkl record; is it a torch.save() checkpoint?");
    }
}

// ---- tensors ------------------------------------------------------------------------------------

/// Elements of the storage a strided view reaches: offset + sum((size-1)*stride) + 1, or 0 if empty.
bool viewExtent(const TensorRecipe& recipe, uint64_t& extent)
{
    uint64_t last = static_cast<uint64_t>(recipe.storageOffset);
    for (size_t d = 0; d < recipe.sizes.size(); ++d) {
        if (recipe.sizes[d] == 0) {
            extent = 0;
            return true;
        }
        uint64_t span = 0;
        if (!checkedMul(static_cast<uint64_t>(recipe.sizes[d] - 1), static_cast<uint64_t>(recipe.strides[d]), span) ||
            !checkedAdd(last, span, last)) {
            return false;
        }
    }
    return checkedAdd(last, 1, extent);
}

bool elementCount(const std::vector<int64_t>& sizes, uint64_t& count)
{
    count = 1;
    for (int64_t size : sizes) {
        if (!checkedMul(count, static_cast<uint64_t>(size), count)) return false;
    }
    return true;
}

/// Checks every size the pickle states against the storage record actually present.
void checkTensorFits(
    const std::string& name, const TensorRecipe& recipe, const Record& storage, const std::string& label)
{
    const std::string what = label + ": tensor '" + name + "'";
    const std::string storageName = "'data/" + recipe.storage.key + "'";
    const uint64_t elementSize = c10::elementSize(recipe.storage.dtype);
    uint64_t extent = 0;
    uint64_t count = 0;
    uint64_t storageBytes = 0;
    uint64_t viewBytes = 0;
    uint64_t tensorBytes = 0;
    if (!viewExtent(recipe, extent) || !elementCount(recipe.sizes, count) ||
        !checkedMul(static_cast<uint64_t>(recipe.storage.numel), elementSize, storageBytes) ||
        !checkedMul(extent, elementSize, viewBytes) || !checkedMul(count, elementSize, tensorBytes)) {
        badModel(what + " has an impossible shape");
    }
    const uint64_t needed = std::max(storageBytes, viewBytes);
    if (needed > storage.size) {
        badModel(what + " needs " + std::to_string(needed) + " bytes but its storage " + storageName + " has " +
            std::to_string(storage.size));
    }
    if (extent > static_cast<uint64_t>(recipe.storage.numel)) {
        badModel(what + " reaches past the end of its storage " + storageName);
    }
    // A view repeating storage elements (stride 0) could be far larger than the file; weights never are.
    if (tensorBytes > storage.size) badModel(what + " is larger than its storage " + storageName);
}

/// Copies the strided view out of the record into a contiguous tensor that owns its memory.
torch::Tensor buildTensor(
    const std::string& name, const TensorRecipe& recipe, const Record& storage, const std::string& label)
{
    checkTensorFits(name, recipe, storage, label);
    const bool isBool = recipe.storage.dtype == c10::ScalarType::Bool;
    // Bools are copied as bytes and normalised: a byte other than 0 or 1 is no valid bool.
    const auto options = torch::TensorOptions().dtype(isBool ? c10::ScalarType::Byte : recipe.storage.dtype);
    return translateTorchErrors(label, "cannot build tensor '" + name + "'", [&] {
        torch::Tensor tensor = torch::empty(recipe.sizes, options);
        if (tensor.numel() > 0) {
            const torch::Tensor flat = torch::from_blob(storage.data.get(), {recipe.storage.numel}, options);
            tensor.copy_(flat.as_strided(recipe.sizes, recipe.strides, recipe.storageOffset));
        }
        return isBool ? tensor.ne(0) : tensor;
    });
}

const Record& storageRecord(PyTorchStreamReader& reader, std::map<std::string, Record>& cache,
    const std::string& tensorName, const std::string& key, const std::string& label)
{
    const auto cached = cache.find(key);
    if (cached != cache.end()) return cached->second;
    const std::string record = "data/" + key;
    if (!hasRecord(reader, record, label)) {
        badModel(label + ": tensor '" + tensorName + "' needs storage '" + record + "', which the archive lacks");
    }
    return cache.emplace(key, readRecord(reader, record, label)).first->second;
}

std::unique_ptr<PyTorchStreamReader> openArchive(const std::string& path, const std::string& label)
{
    return translateTorchErrors(
        label, "not a readable PyTorch checkpoint", [&] { return std::make_unique<PyTorchStreamReader>(path); });
}

}  // namespace

TensorMap readPthStateDict(const std::string& path)
{
    const std::string label = fs::path(path).filename().string();
    checkArchive(path, label);
    const std::unique_ptr<PyTorchStreamReader> reader = openArchive(path, label);
    checkArchiveKind(*reader, label);

    const PickledStateDict recipes = [&] {
        const Record pickle = readRecord(*reader, "data.pkl", label);
        return unpickleStateDict(static_cast<const uint8_t*>(pickle.data.get()), pickle.size, label);
    }();

    std::map<std::string, Record> storages;  // several tensors may view one storage
    TensorMap tensors;
    for (const auto& [name, recipe] : recipes) {
        const Record& storage = storageRecord(*reader, storages, name, recipe.storage.key, label);
        tensors.emplace(name, buildTensor(name, recipe, storage, label));
    }
    return tensors;
}

}  // namespace refine::weights
