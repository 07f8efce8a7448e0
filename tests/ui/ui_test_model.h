#pragma once
/// @file ui_test_model.h
/// @brief Fixtures of the UI tests, kept free of LibTorch and Qt headers.

#include <string>

namespace refine::ui::test {

/// Writes the tiny random test model into `modelsDir`/tiny-test and returns its id ("tiny-test").
/// Point REFINE_MODELS_DIR at `modelsDir` to make it the installed model.
std::string writeTinyModelInto(const std::string& modelsDir);

/// Writes a smooth synthetic `width` x `height` photo as a PNG or JPEG at `path`.
void writeTestPhoto(const std::string& path, int width, int height, unsigned seed = 1);

}  // namespace refine::ui::test
