// The LibTorch-facing half of the UI test fixtures: only this file includes test_support.h.
#include "ui_test_model.h"

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "refine/engine/engine.h"
#include "refine/imaging/engine_image.h"
#include "refine/imaging/image_io.h"
#include "test_support.h"

namespace refine::ui::test {

std::string writeTinyModelInto(const std::string& modelsDir)
{
    const std::filesystem::path dir = std::filesystem::path(modelsDir) / "tiny-test";
    std::filesystem::create_directories(dir);
    refine::test::writeTinyModel(dir);
    return "tiny-test";
}

std::string writeTinyResidualShiftModelInto(const std::string& modelsDir)
{
    const std::filesystem::path dir = std::filesystem::path(modelsDir) / "tiny-residual-test";
    std::filesystem::create_directories(dir);
    refine::test::writeTinyResidualShiftModel(dir);
    return "tiny-residual-test";
}

std::string writeTinyRestoreModelInto(const std::string& modelsDir)
{
    const std::string id = Engine::restoreModelId();
    const std::filesystem::path dir = std::filesystem::path(modelsDir) / id;
    std::filesystem::create_directories(dir);
    refine::test::writeTinyResidualShiftModel(dir);
    nlohmann::json card;
    std::ifstream(dir / "model.json") >> card;
    card["id"] = id;
    card["name"] = "Tiny restore test model";
    std::ofstream(dir / "model.json") << card.dump(2);
    return id;
}

void writeTestPhoto(const std::string& path, int width, int height, unsigned seed)
{
    imaging::EncodeOptions options;
    options.format = imaging::formatFromExtension(path);
    const auto bytes = imaging::encodePhoto(imaging::fromImageF(refine::test::syntheticImage(width, height, seed)),
                                            cv::Mat(), options);
    imaging::writeFileAtomically(path, bytes, true);
}

}  // namespace refine::ui::test
