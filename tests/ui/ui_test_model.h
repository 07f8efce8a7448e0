#pragma once
/// @file ui_test_model.h
/// @brief Fixtures of the UI tests, kept free of LibTorch and Qt headers.

#include <string>

namespace refine::ui::test {

/// Writes the tiny random test model into `modelsDir`/tiny-test and returns its id ("tiny-test").
/// Point REFINE_MODELS_DIR at `modelsDir` to make it the installed model.
std::string writeTinyModelInto(const std::string& modelsDir);

/// Writes the tiny random residual-shift test model (a clean upscale plus detail diffusion;
/// presets Fast = clean only, Balanced = 2 steps, Best = 3) into `modelsDir`/tiny-residual-test
/// and returns its id ("tiny-residual-test").
std::string writeTinyResidualShiftModelInto(const std::string& modelsDir);

/// Writes the tiny residual-shift model again under the id of the bundled restore model
/// (Engine::restoreModelId()), into `modelsDir`/<that id>, so the Old photo switch has its model;
/// returns the id.
std::string writeTinyRestoreModelInto(const std::string& modelsDir);

/// Writes a smooth synthetic `width` x `height` photo as a PNG or JPEG at `path`.
void writeTestPhoto(const std::string& path, int width, int height, unsigned seed = 1);

}  // namespace refine::ui::test
