// Tile geometry and blending: tiles cover the image, tiled prediction equals untiled for a local
// network, a flat image stays flat (no seams), and out-of-memory errors shrink the tiles.
#include <QtTest>

#include <torch/torch.h>

#include "expect_error.h"
#include "pipeline/tile_grid.h"
#include "pipeline/tiled_denoiser.h"
#include "refine/engine/error.h"
#include "test_support.h"

using namespace refine;

namespace {

/// A local "network": a 3x3 blur of the noisy channels plus the condition. Its receptive field is
/// tiny, so tiles with overlap must reproduce the untiled result exactly.
torch::Tensor localNetwork(const torch::Tensor& input, const torch::Tensor& level)
{
    namespace F = torch::nn::functional;
    const auto noisy = input.narrow(1, 3, 3);
    const auto blurred = F::avg_pool2d(F::pad(noisy, F::PadFuncOptions({1, 1, 1, 1}).mode(torch::kReplicate)),
                                       F::AvgPool2dFuncOptions(3).stride(1));
    return blurred + input.narrow(1, 0, 3) * level.view({-1, 1, 1, 1});
}

}  // namespace

class TestTiling : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void tilesCoverTheImage_data()
    {
        QTest::addColumn<int>("height");
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("tile");
        QTest::addColumn<int>("overlap");
        QTest::newRow("fits") << 100 << 80 << 128 << 32;
        QTest::newRow("exact grid") << 256 << 256 << 128 << 32;
        QTest::newRow("ragged") << 300 << 170 << 96 << 24;
        QTest::newRow("thin") << 40 << 1000 << 64 << 16;
    }
    void tilesCoverTheImage()
    {
        QFETCH(int, height);
        QFETCH(int, width);
        QFETCH(int, tile);
        QFETCH(int, overlap);
        const auto tiles = planTiles(height, width, tile, overlap);
        auto coverage = torch::zeros({height, width});
        for (const auto& t : tiles) {
            QVERIFY(t.y >= 0 && t.x >= 0 && t.y + t.height <= height && t.x + t.width <= width);
            coverage.narrow(0, t.y, t.height).narrow(1, t.x, t.width) += tileWindow(t, height, width, overlap);
        }
        QVERIFY(coverage.min().item<float>() > 0.0f);
    }

    void tiledEqualsUntiledForALocalNetwork()
    {
        torch::manual_seed(2);
        const auto condition = torch::rand({3, 3, 150, 110});
        const auto x = torch::randn({3, 3, 150, 110});
        TiledDenoiser whole(localNetwork, test::tinyConfig(), torch::kFloat32, {0, 0, 3.0}, nullptr);
        TiledDenoiser tiled(localNetwork, test::tinyConfig(), torch::kFloat32, {64, 16, 3.0}, nullptr);
        const auto a = whole.predictNoise(condition, x, 0.7);
        const auto b = tiled.predictNoise(condition, x, 0.7);
        QVERIFY(tiled.tileSize() == 64);
        QVERIFY((a - b).abs().max().item<float>() < 1e-5f);
    }

    void flatImageStaysFlat()
    {
        const auto condition = torch::full({1, 3, 200, 200}, 0.25f);
        const auto x = torch::full({1, 3, 200, 200}, -0.5f);
        TiledDenoiser tiled(localNetwork, test::tinyConfig(), torch::kFloat32, {64, 16, 3.0}, nullptr);
        const auto eps = tiled.predictNoise(condition, x, 0.5);
        QVERIFY((eps - eps.mean()).abs().max().item<float>() < 1e-6f);
    }

    void outOfMemoryShrinksTilesThenGivesUp()
    {
        int calls = 0;
        auto greedy = [&calls](const torch::Tensor& input, const torch::Tensor& level) {
            ++calls;
            if (input.size(2) * input.size(3) > 80 * 80)
                throw std::runtime_error("CUDA out of memory. Tried to allocate 2.00 GiB");
            return localNetwork(input, level);
        };
        TiledDenoiser denoiser(greedy, test::tinyConfig(), torch::kFloat32, {0, 0, 3.0}, nullptr);
        const auto eps = denoiser.predictNoise(torch::rand({1, 3, 160, 160}), torch::randn({1, 3, 160, 160}), 0.5);
        QCOMPARE(eps.size(2), int64_t(160));
        QVERIFY(denoiser.tileSize() <= 80);
        auto hopeless = [](const torch::Tensor&, const torch::Tensor&) -> torch::Tensor {
            throw std::runtime_error("CUDA out of memory");
        };
        TiledDenoiser failing(hopeless, test::tinyConfig(), torch::kFloat32, {0, 0, 3.0}, nullptr);
        VERIFY_ERROR(failing.predictNoise(torch::rand({1, 3, 128, 128}), torch::randn({1, 3, 128, 128}), 0.5),
                     ErrorCode::OutOfMemory);
    }

    void cancelIsCheckedPerTile()
    {
        CancelToken cancel;
        int calls = 0;
        auto network = [&](const torch::Tensor& input, const torch::Tensor& level) {
            if (++calls == 2)
                cancel.cancel();
            return localNetwork(input, level);
        };
        TiledDenoiser denoiser(network, test::tinyConfig(), torch::kFloat32, {64, 16, 0.0001}, &cancel);
        QVERIFY_THROWS_EXCEPTION(Cancelled, denoiser.predictNoise(torch::rand({1, 3, 256, 256}),
                                                                  torch::randn({1, 3, 256, 256}), 0.5));
        QCOMPARE(calls, 2);
    }
};

QTEST_APPLESS_MAIN(TestTiling)
#include "tst_tiling.moc"
