#include "runtime/device.h"

#include <string_view>
#include <thread>

#include <torch/cuda.h>
#include <torch/utils.h>

#include "refine/engine/error.h"

namespace refine {

torch::Device selectDevice(const std::string& name)
{
    if (name.empty() || name == "auto")
        return torch::cuda::is_available() ? torch::Device(torch::kCUDA, 0) : torch::Device(torch::kCPU);
    if (name == "cpu")
        return torch::kCPU;
    if (name.rfind("cuda", 0) == 0) {
        if (!torch::cuda::is_available())
            throw Error(ErrorCode::InvalidArgument,
                        "CUDA was requested but is not available (this build of LibTorch has no CUDA, or no GPU "
                        "was found); use --device cpu");
        try {
            torch::Device device(name);
            if (device.index() >= int(torch::cuda::device_count()))
                throw Error(ErrorCode::InvalidArgument, "there is no GPU " + name);
            return device;
        } catch (const c10::Error&) {
            throw Error(ErrorCode::InvalidArgument, "not a device name: " + name);
        }
    }
    throw Error(ErrorCode::InvalidArgument, "unknown device '" + name + "' (expected auto, cpu or cuda)");
}

void configureCpuThreads(int threads)
{
    const int cores = int(std::max(1u, std::thread::hardware_concurrency()));
    torch::set_num_threads(threads > 0 ? threads : cores);
}

torch::ScalarType networkDtype(Precision precision, const torch::Device& device)
{
    if (!device.is_cuda())
        return torch::kFloat32;
    switch (precision) {
    case Precision::Float16: return torch::kFloat16;
    case Precision::BFloat16: return torch::kBFloat16;
    case Precision::Float32: break;
    }
    return torch::kFloat32;
}

std::string precisionName(Precision precision)
{
    switch (precision) {
    case Precision::Float16: return "fp16";
    case Precision::BFloat16: return "bf16";
    case Precision::Float32: break;
    }
    return "fp32";
}

Precision precisionFromName(const std::string& name)
{
    if (name == "fp32" || name == "float32")
        return Precision::Float32;
    if (name == "fp16" || name == "float16")
        return Precision::Float16;
    if (name == "bf16" || name == "bfloat16")
        return Precision::BFloat16;
    throw Error(ErrorCode::InvalidArgument, "unknown precision '" + name + "' (expected fp32, fp16 or bf16)");
}

bool isOutOfMemory(const std::exception& error)
{
    const std::string_view message = error.what();
    return dynamic_cast<const std::bad_alloc*>(&error) != nullptr
        || message.find("out of memory") != std::string_view::npos
        || message.find("DefaultCPUAllocator: can't allocate memory") != std::string_view::npos;
}

double defaultMemoryBudgetGiB(const torch::Device& device) { return device.is_cuda() ? 12.0 : 3.0; }

}  // namespace refine
