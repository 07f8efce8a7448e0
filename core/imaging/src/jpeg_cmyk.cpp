#include "jpeg_cmyk.h"

#include <csetjmp>
#include <cstdio>  // jpeglib.h needs FILE and size_t declared first

#include <jpeglib.h>

namespace refine::imaging::detail {
namespace {

// libjpeg reports fatal errors through error_exit, which must not return: jump back to the
// decoder, the documented way in C (an exception would unwind through libjpeg's C frames).
struct ErrorManager {
    jpeg_error_mgr base;
    std::jmp_buf jump;
};

void onFatalError(j_common_ptr info) { std::longjmp(reinterpret_cast<ErrorManager*>(info->err)->jump, 1); }
void onWarning(j_common_ptr, int) {}

/// The part that may jump: no object with a destructor is created between setjmp and a jump.
bool decodeInto(jpeg_decompress_struct& info, ErrorManager& errors, const std::vector<unsigned char>& jpeg,
                CmykSamples& out)
{
    if (setjmp(errors.jump))
        return false;
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, jpeg.data(), static_cast<unsigned long>(jpeg.size()));
    jpeg_read_header(&info, TRUE);
    if (info.jpeg_color_space != JCS_CMYK && info.jpeg_color_space != JCS_YCCK)
        return false;
    info.out_color_space = JCS_CMYK;
    jpeg_start_decompress(&info);
    out.samples.create(int(info.output_height), int(info.output_width), CV_8UC4);
    while (info.output_scanline < info.output_height) {
        JSAMPROW row = out.samples.ptr(int(info.output_scanline));
        jpeg_read_scanlines(&info, &row, 1);
    }
    out.inverted = info.saw_Adobe_marker;
    jpeg_finish_decompress(&info);
    return true;
}

}  // namespace

CmykSamples decodeCmykJpeg(const std::vector<unsigned char>& jpeg)
{
    jpeg_decompress_struct info{};
    ErrorManager errors{};
    info.err = jpeg_std_error(&errors.base);
    errors.base.error_exit = onFatalError;
    errors.base.emit_message = onWarning;
    CmykSamples out;
    const bool ok = decodeInto(info, errors, jpeg, out);
    jpeg_destroy_decompress(&info);
    if (!ok)
        out.samples.release();
    return out;
}

}  // namespace refine::imaging::detail
