#include "file_digest.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>

#include <openssl/evp.h>

#include "refine/engine/error.h"

namespace refine::cli {
namespace {

using DigestContext = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

DigestContext newSha256()
{
    DigestContext context(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    if (!context || EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr) != 1)
        throw Error(ErrorCode::Internal, "OpenSSL could not start a SHA-256 digest");
    return context;
}

std::string finishHex(EVP_MD_CTX* context)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(context, digest, &length);
    static const char* hex = "0123456789abcdef";
    std::string text;
    for (unsigned int i = 0; i < length; ++i) {
        text += hex[digest[i] >> 4];
        text += hex[digest[i] & 15];
    }
    return text;
}

[[noreturn]] void throwUnreadable(const std::filesystem::path& path)
{
    throw Error(ErrorCode::Io, "cannot read " + path.string() + ": " + std::strerror(errno));
}

}  // namespace

std::string sha256Hex(const std::vector<unsigned char>& bytes)
{
    DigestContext context = newSha256();
    EVP_DigestUpdate(context.get(), bytes.data(), bytes.size());
    return finishHex(context.get());
}

std::string sha256OfFile(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throwUnreadable(path);
    DigestContext context = newSha256();
    std::vector<char> block(1 << 20);
    while (in) {
        in.read(block.data(), std::streamsize(block.size()));
        EVP_DigestUpdate(context.get(), block.data(), size_t(in.gcount()));
    }
    if (in.bad())
        throwUnreadable(path);
    return finishHex(context.get());
}

}  // namespace refine::cli
