#include "weights/safetensors.h"

#include "json_nesting.h"
#include "refine/engine/error.h"

#include <c10/util/Exception.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <vector>

// The data is raw little-endian, as on every platform Refine targets (x86-64, arm64); reading and
// writing therefore copy bytes without swapping.

namespace refine::weights {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr uint64_t kMaxHeaderSize = uint64_t{100} << 20;  // the format's own limit
constexpr int kMaxJsonNesting = 16;                       // a real header nests 3 deep (json_nesting.h)
constexpr const char* kMetadataKey = "__metadata__";

struct Dtype {
    const char* name;
    c10::ScalarType type;
};
constexpr Dtype kDtypes[] = {
    {"F16", c10::ScalarType::Half},
    {"BF16", c10::ScalarType::BFloat16},
    {"F32", c10::ScalarType::Float},
    {"F64", c10::ScalarType::Double},
    {"I64", c10::ScalarType::Long},
    {"I32", c10::ScalarType::Int},
    {"I16", c10::ScalarType::Short},
    {"I8", c10::ScalarType::Char},
    {"U8", c10::ScalarType::Byte},
    {"BOOL", c10::ScalarType::Bool},
};

const Dtype* dtypeByName(const std::string& name)
{
    for (const Dtype& d : kDtypes) {
        if (name == d.name) return &d;
    }
    return nullptr;
}

const Dtype* dtypeByType(c10::ScalarType type)
{
    for (const Dtype& d : kDtypes) {
        if (type == d.type) return &d;
    }
    return nullptr;
}

[[noreturn]] void badModel(const std::string& message) { throw Error(ErrorCode::BadModel, message); }

bool checkedMul(uint64_t a, uint64_t b, uint64_t& out)
{
    if (a != 0 && b > UINT64_MAX / a) return false;
    out = a * b;
    return true;
}

// ---- reading ------------------------------------------------------------------------------------

/// The file being read, with its size known up front so every offset can be checked against it.
struct InputFile {
    std::ifstream in;
    uint64_t size = 0;
    std::string label;

    void readAt(uint64_t offset, void* into, uint64_t n)
    {
        in.seekg(static_cast<std::streamoff>(offset));
        in.read(static_cast<char*>(into), static_cast<std::streamsize>(n));
        if (!in) throw Error(ErrorCode::Io, label + ": read error (did the file change while being read?)");
    }
};

InputFile openInput(const std::string& path)
{
    std::error_code ec;
    if (!fs::exists(path, ec)) throw Error(ErrorCode::Io, "cannot open '" + path + "': no such file");
    if (!fs::is_regular_file(path, ec)) throw Error(ErrorCode::Io, "cannot open '" + path + "': not a regular file");
    InputFile file{std::ifstream(path, std::ios::binary), fs::file_size(path, ec), fs::path(path).filename().string()};
    if (ec || !file.in) throw Error(ErrorCode::Io, "cannot open '" + path + "'");
    return file;
}

/// Reads and parses the JSON header; returns it and sets `dataStart` to where the data begins.
json readHeader(InputFile& file, uint64_t& dataStart)
{
    if (file.size < 8) badModel(file.label + " is truncated (shorter than the 8-byte header length)");
    uint8_t lengthBytes[8] = {};
    file.readAt(0, lengthBytes, 8);
    uint64_t length = 0;
    for (int i = 7; i >= 0; --i) length = (length << 8) | lengthBytes[i];
    if (length > file.size - 8) {
        badModel(file.label + ": the header length (" + std::to_string(length) + " bytes) runs past the end of the " +
            std::to_string(file.size) + "-byte file (truncated?)");
    }
    if (length > kMaxHeaderSize) badModel(file.label + ": the header is larger than the format allows");
    std::string text(static_cast<size_t>(length), ' ');
    file.readAt(8, text.data(), length);
    if (!jsonNestingWithin(text, kMaxJsonNesting)) badModel(file.label + ": the header nests too deeply");
    json header = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (header.is_discarded()) badModel(file.label + ": the header is not valid JSON");
    if (!header.is_object()) badModel(file.label + ": the header is not a JSON object");
    dataStart = 8 + length;
    return header;
}

/// One tensor's header entry, validated against the data buffer.
struct Entry {
    std::string name;
    c10::ScalarType dtype = c10::ScalarType::Float;
    std::vector<int64_t> shape;
    uint64_t begin = 0;
    uint64_t end = 0;
};

bool isIndex(const json& value)
{
    return value.is_number_unsigned() && value.get<uint64_t>() <= static_cast<uint64_t>(INT64_MAX);
}

Entry parseEntry(const std::string& name, const json& j, uint64_t bufferSize, const std::string& label)
{
    const std::string what = label + ": tensor '" + name + "'";
    if (!j.is_object()) badModel(what + ": its header entry is not an object");
    Entry entry;
    entry.name = name;
    const auto dtype = j.find("dtype");
    const Dtype* known = (dtype != j.end() && dtype->is_string()) ? dtypeByName(dtype->get<std::string>()) : nullptr;
    if (!known) badModel(what + " has an unknown dtype " + (dtype != j.end() ? dtype->dump() : "(none)"));
    entry.dtype = known->type;

    const auto shape = j.find("shape");
    if (shape == j.end() || !shape->is_array() || !std::all_of(shape->begin(), shape->end(), isIndex)) {
        badModel(what + " has an invalid shape");
    }
    for (const json& dim : *shape) entry.shape.push_back(static_cast<int64_t>(dim.get<uint64_t>()));

    const auto offsets = j.find("data_offsets");
    if (offsets == j.end() || !offsets->is_array() || offsets->size() != 2 || !isIndex((*offsets)[0]) ||
        !isIndex((*offsets)[1])) {
        badModel(what + " has invalid data_offsets");
    }
    entry.begin = (*offsets)[0].get<uint64_t>();
    entry.end = (*offsets)[1].get<uint64_t>();
    if (entry.begin > entry.end || entry.end > bufferSize) {
        badModel(what + ": data_offsets " + offsets->dump() + " lie outside the " + std::to_string(bufferSize) +
            "-byte data buffer (a truncated file?)");
    }

    uint64_t bytes = c10::elementSize(entry.dtype);
    for (int64_t dim : entry.shape) {
        if (!checkedMul(bytes, static_cast<uint64_t>(dim), bytes)) badModel(what + " has an impossible shape");
    }
    if (bytes != entry.end - entry.begin) {
        badModel(what + ": shape " + shape->dump() + " of " + known->name + " needs " + std::to_string(bytes) +
            " bytes but data_offsets span " + std::to_string(entry.end - entry.begin));
    }
    return entry;
}

/// Two tensors sharing bytes would mean one of them is garbage; the format forbids it.
void checkNoOverlap(std::vector<Entry> entries, const std::string& label)
{
    std::sort(entries.begin(), entries.end(),
        [](const Entry& a, const Entry& b) { return a.begin != b.begin ? a.begin < b.begin : a.end < b.end; });
    const Entry* furthest = nullptr;  // the entry reaching furthest so far
    for (const Entry& entry : entries) {
        if (furthest && entry.begin < furthest->end) {
            badModel(label + ": tensors '" + furthest->name + "' and '" + entry.name + "' overlap in the data buffer");
        }
        if (!furthest || entry.end > furthest->end) furthest = &entry;
    }
}

std::map<std::string, std::string> parseMetadata(const json& header, const std::string& label)
{
    std::map<std::string, std::string> metadata;
    const auto found = header.find(kMetadataKey);
    if (found == header.end()) return metadata;
    if (!found->is_object()) badModel(label + ": __metadata__ is not an object");
    for (const auto& item : found->items()) {
        if (!item.value().is_string()) badModel(label + ": __metadata__ entry '" + item.key() + "' is not a string");
        metadata.emplace(item.key(), item.value().get<std::string>());
    }
    return metadata;
}

/// Allocates the tensor (its size was validated against the file) and reads its bytes into it.
torch::Tensor readTensor(InputFile& file, const Entry& entry, uint64_t dataStart)
{
    const bool isBool = entry.dtype == c10::ScalarType::Bool;
    // Bools are read as bytes and normalised: a byte other than 0 or 1 is no valid bool.
    const auto options = torch::TensorOptions().dtype(isBool ? c10::ScalarType::Byte : entry.dtype);
    torch::Tensor tensor;
    try {
        tensor = torch::empty(entry.shape, options);
    } catch (const std::exception&) {  // std::bad_alloc or c10::Error: the size itself was checked
        throw Error(ErrorCode::OutOfMemory,
            file.label + ": out of memory for tensor '" + entry.name + "' (" + std::to_string(entry.end - entry.begin) +
                " bytes)");
    }
    if (entry.end > entry.begin) file.readAt(dataStart + entry.begin, tensor.data_ptr(), entry.end - entry.begin);
    return isBool ? tensor.ne(0) : tensor;
}

// ---- writing ------------------------------------------------------------------------------------

/// Removes the temporary file unless the write was committed, so failures leave nothing behind.
class TempFile {
public:
    explicit TempFile(std::string path) : m_path(std::move(path)) { }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    ~TempFile()
    {
        std::error_code ignored;
        if (!m_committed) fs::remove(m_path, ignored);
    }
    const std::string& path() const { return m_path; }

    void commitTo(const std::string& target)
    {
        std::error_code ec;
        fs::rename(m_path, target, ec);  // replaces an existing target
        if (ec) throw Error(ErrorCode::Io, "cannot write '" + target + "': " + ec.message());
        m_committed = true;
    }

private:
    std::string m_path;
    bool m_committed = false;
};

/// The header for `tensors` (already contiguous CPU), padded with spaces to a multiple of 8 bytes
/// so the data that follows is aligned.
std::string buildHeader(const std::vector<std::pair<std::string, torch::Tensor>>& tensors,
    const std::map<std::string, std::string>& metadata)
{
    json header = json::object();
    uint64_t offset = 0;
    for (const auto& [name, tensor] : tensors) {
        const uint64_t bytes = tensor.nbytes();
        json entry = json::object();
        entry["dtype"] = dtypeByType(tensor.scalar_type())->name;
        entry["shape"] = tensor.sizes().vec();
        entry["data_offsets"] = json::array({offset, offset + bytes});
        header[name] = std::move(entry);
        offset += bytes;
    }
    if (!metadata.empty()) header[kMetadataKey] = metadata;
    std::string text;
    try {
        text = header.dump();
    } catch (const json::type_error&) {
        throw Error(ErrorCode::InvalidArgument, "safetensors tensor names and metadata must be valid UTF-8");
    }
    text.append((8 - text.size() % 8) % 8, ' ');
    return text;
}

/// Checks names and dtypes and makes every tensor contiguous on the CPU, in key order.
std::vector<std::pair<std::string, torch::Tensor>> prepareTensors(const TensorMap& tensors)
{
    std::vector<std::pair<std::string, torch::Tensor>> prepared;
    for (const auto& [name, tensor] : tensors) {
        if (name == kMetadataKey) throw Error(ErrorCode::InvalidArgument, "'__metadata__' is reserved in safetensors");
        if (!tensor.defined()) throw Error(ErrorCode::InvalidArgument, "tensor '" + name + "' is undefined");
        if (!dtypeByType(tensor.scalar_type())) {
            throw Error(ErrorCode::InvalidArgument,
                "tensor '" + name + "' has dtype " + std::string(c10::toString(tensor.scalar_type())) +
                    ", which safetensors cannot store");
        }
        try {
            prepared.emplace_back(name, tensor.detach().to(torch::kCPU).contiguous());
        } catch (const c10::Error& e) {
            throw Error(ErrorCode::Internal,
                "cannot copy tensor '" + name + "' to the CPU: " + std::string(e.what_without_backtrace()));
        }
    }
    return prepared;
}

}  // namespace

SafetensorsFile readSafetensors(const std::string& path)
{
    InputFile file = openInput(path);
    uint64_t dataStart = 0;
    const json header = readHeader(file, dataStart);
    const uint64_t bufferSize = file.size - dataStart;

    std::vector<Entry> entries;
    for (const auto& item : header.items()) {
        if (item.key() != kMetadataKey) entries.push_back(parseEntry(item.key(), item.value(), bufferSize, file.label));
    }
    checkNoOverlap(entries, file.label);

    // Only now, with every size checked against the file, is any tensor memory allocated.
    SafetensorsFile result;
    result.metadata = parseMetadata(header, file.label);
    for (const Entry& entry : entries) result.tensors.emplace(entry.name, readTensor(file, entry, dataStart));
    return result;
}

void writeSafetensors(
    const std::string& path, const TensorMap& tensors, const std::map<std::string, std::string>& metadata)
{
    const auto prepared = prepareTensors(tensors);
    const std::string header = buildHeader(prepared, metadata);

    TempFile temp(path + ".tmp");
    std::ofstream out(temp.path(), std::ios::binary | std::ios::trunc);
    if (!out) throw Error(ErrorCode::Io, "cannot write '" + path + "'");
    char length[8];
    for (int i = 0; i < 8; ++i) length[i] = static_cast<char>((uint64_t{header.size()} >> (8 * i)) & 0xff);
    out.write(length, 8);
    out.write(header.data(), static_cast<std::streamsize>(header.size()));
    for (const auto& entry : prepared) {
        out.write(
            static_cast<const char*>(entry.second.data_ptr()), static_cast<std::streamsize>(entry.second.nbytes()));
    }
    out.close();
    if (!out) throw Error(ErrorCode::Io, "cannot write '" + path + "' (disk full?)");
    temp.commitTo(path);
}

}  // namespace refine::weights
