#include "exiv2_support.h"

#include "provenance_keys.h"

#include <mutex>

namespace refine::imaging::detail {
namespace {

// exiv2 calls this around every use of the (not thread-safe) XMP toolkit. Recursive, because
// exiv2 may nest these calls (registering a namespace initialises the toolkit).
void lockUnlockXmpToolkit(void* data, bool lock)
{
    auto* mutex = static_cast<std::recursive_mutex*>(data);
    if (lock)
        mutex->lock();
    else
        mutex->unlock();
}

}  // namespace

void initExiv2()
{
    static std::once_flag once;
    static std::recursive_mutex xmpToolkitMutex;
    std::call_once(once, [] {
        Exiv2::XmpParser::initialize(lockUnlockXmpToolkit, &xmpToolkitMutex);
        Exiv2::XmpProperties::registerNs(kRefineNamespace, kRefinePrefix);
        // exiv2 prints warnings about odd-but-harmless metadata (maker notes, unknown tags) to
        // stderr; a desktop app has no console, and real failures arrive as exceptions anyway.
        Exiv2::LogMsg::setLevel(Exiv2::LogMsg::mute);
    });
}

std::unique_ptr<Exiv2::Image> openImage(const std::vector<unsigned char>& bytes)
{
    initExiv2();
    // exiv2 0.27 hands out std::auto_ptr; move ownership into a unique_ptr at once.
    std::unique_ptr<Exiv2::Image> image(
        Exiv2::ImageFactory::open(bytes.data(), static_cast<long>(bytes.size())).release());
    if (!image)
        throw Exiv2::Error(Exiv2::kerMemoryContainsUnknownImageType);
    image->readMetadata();
    return image;
}

std::vector<unsigned char> imageBytes(Exiv2::Image& image)
{
    Exiv2::BasicIo& io = image.io();
    if (io.open() != 0)
        throw Exiv2::Error(Exiv2::kerDataSourceOpenFailed, io.path(), "memory");
    std::vector<unsigned char> bytes(io.size());
    const long read = io.read(bytes.data(), static_cast<long>(bytes.size()));
    io.close();
    if (read != static_cast<long>(bytes.size()))
        throw Exiv2::Error(Exiv2::kerFailedToReadImageData);
    return bytes;
}

bool canWrite(const Exiv2::Image& image, Exiv2::MetadataId kind)
{
    const Exiv2::AccessMode mode = Exiv2::ImageFactory::checkMode(image.imageType(), kind);
    return mode == Exiv2::amWrite || mode == Exiv2::amReadWrite;
}

}  // namespace refine::imaging::detail
