// refine_ui_make_test_model DIR: writes the tiny random test models into DIR (the SR3 one in
// DIR/tiny-test, the residual-shift one in DIR/tiny-residual-test), so the app can be run
// (screenshots, manual checks) where no real model is installed:
//   REFINE_MODELS_DIR=DIR refine photo.jpg
#include <cstdio>

#include "ui_test_model.h"

int main(int argc, char* argv[])
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s MODELS_DIR\n", argv[0]);
        return 2;
    }
    for (const std::string& id : {refine::ui::test::writeTinyModelInto(argv[1]),
                                  refine::ui::test::writeTinyResidualShiftModelInto(argv[1])})
        std::printf("%s/%s\n", argv[1], id.c_str());
    return 0;
}
