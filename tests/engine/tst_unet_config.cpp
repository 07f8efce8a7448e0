// UNet shapes: the published presets' parameter counts and key layouts, JSON round trip and
// inference of the shape from checkpoint tensors.
#include <QtTest>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "expect_error.h"
#include "model/model_loader.h"
#include "model/sr3_unet.h"
#include "model/unet_flops.h"
#include "refine/engine/error.h"
#include "test_support.h"

using namespace refine;

class TestUNetConfig : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { test::useTestThreads(); }

    void publishedPresetsHaveTheReferenceParameterCounts_data()
    {
        QTest::addColumn<int>("preset");
        QTest::addColumn<qlonglong>("parameters");
        QTest::addColumn<int>("entries");
        // Counts from ../shared/reference/sr3.md (entries exclude the 12 schedule buffers).
        QTest::newRow("16->128 faces") << 0 << qlonglong(97'807'491) << 362;
        QTest::newRow("64->512 faces") << 1 << qlonglong(155'334'339) << 229;
    }
    void publishedPresetsHaveTheReferenceParameterCounts()
    {
        QFETCH(int, preset);
        QFETCH(qlonglong, parameters);
        QFETCH(int, entries);
        Sr3UNet net(preset == 0 ? UNetConfig::sr3Faces16to128() : UNetConfig::sr3Faces64to512());
        QCOMPARE(qlonglong(parameterCount(*net)), parameters);
        QCOMPARE(int(net->named_parameters().size()), entries);
    }

    void keyNamesFollowTheCheckpointLayout()
    {
        Sr3UNet net(UNetConfig::sr3Faces16to128());
        const auto params = net->named_parameters();
        for (const char* key : {"noise_level_mlp.1.weight", "noise_level_mlp.3.bias", "downs.0.weight",
                                "downs.1.res_block.noise_func.noise_func.0.weight", "downs.1.res_block.block1.block.0.weight",
                                "downs.1.res_block.block2.block.3.weight", "downs.3.conv.weight",
                                "downs.4.res_block.res_conv.weight", "downs.10.attn.qkv.weight", "downs.10.attn.norm.bias",
                                "mid.0.attn.out.weight", "ups.3.conv.weight", "ups.6.attn.qkv.weight",
                                "final_conv.block.0.weight", "final_conv.block.3.bias"})
            QVERIFY2(params.contains(key), key);
        QVERIFY(!params.contains("downs.10.attn.qkv.bias"));
        QCOMPARE(params["ups.6.res_block.block1.block.3.weight"].sizes().vec(), (std::vector<int64_t>{512, 768, 3, 3}));
    }

    void shapeIsInferredFromTensors()
    {
        for (const UNetConfig& preset : {UNetConfig::sr3Faces16to128(), UNetConfig::sr3Faces64to512()}) {
            Sr3UNet net(preset);
            bool groupsKnown = false;
            const UNetConfig inferred = inferUNetConfig(unetStateDict(net), UNetConfig{}, &groupsKnown);
            QVERIFY(groupsKnown);
            QVERIFY(inferred == preset);
        }
        Sr3UNet tiny(test::tinyConfig());
        bool groupsKnown = true;
        const UNetConfig inferred = inferUNetConfig(unetStateDict(tiny), test::tinyConfig(), &groupsKnown);
        QVERIFY(!groupsKnown);
        QCOMPARE(inferred.channelMults, test::tinyConfig().channelMults);
        QCOMPARE(inferred.resBlocks, 1);
        QVERIFY(inferred.levelHasAttention(1) && !inferred.levelHasAttention(0));
    }

    void jsonRoundTrip()
    {
        const UNetConfig preset = UNetConfig::sr3Faces16to128();
        const UNetConfig back = unetConfigFromJson(toJson(preset));
        QVERIFY(back == preset);
        QCOMPARE(back.dropout, preset.dropout);
        // The reference accepts a bare number for attn_res.
        auto json = toJson(preset);
        json["attn_res"] = 16;
        QVERIFY(unetConfigFromJson(json) == preset);
        json["norm_groups"] = 7;
        VERIFY_ERROR(unetConfigFromJson(json), ErrorCode::BadModel);
    }

    void hugeMultipliersAreRefusedWithoutOverflow()
    {
        // Found by fuzz_model_card (UBSan: 64 x 47483647 overflowed int before the bound was checked).
        auto json = nlohmann::json::parse(R"({"image_size": 16, "channel_multiplier": [47483647, 2]})");
        VERIFY_ERROR(unetConfigFromJson(json), ErrorCode::BadModel, {"multiplier above 32"});
    }

    void runsOnSizesThatAreNotSquare()
    {
        torch::NoGradGuard noGrad;
        Sr3UNet net(test::tinyConfig());
        const auto out = net->forward(torch::randn({2, 6, 12, 20}), torch::full({2}, 0.5f));
        QCOMPARE(out.sizes().vec(), (std::vector<int64_t>{2, 3, 12, 20}));
    }

    void flopsMatchThePublishedCounts()
    {
        // docs/performance.md: about 1246 GFLOP per step at 512x512 and 92 GFLOP at 128x128.
        QCOMPARE(std::round(unetForwardFlops(UNetConfig::sr3Faces64to512(), 512, 512) / 1e9), 1246.0);
        QCOMPARE(std::round(unetForwardFlops(UNetConfig::sr3Faces16to128(), 128, 128) / 1e9), 92.0);
        // Inputs are padded to the size multiple (16 here), as the denoiser runs them.
        QCOMPARE(unetForwardFlops(UNetConfig::sr3Faces16to128(), 100, 97),
                 unetForwardFlops(UNetConfig::sr3Faces16to128(), 112, 112));
    }

    void attentionMatchesTheReferenceFormulaAcrossQueryBlocks()
    {
        // 2 x 4096 positions: the queries are split into two blocks of scores.
        torch::NoGradGuard noGrad;
        torch::manual_seed(3);
        SelfAttention attention(8, 4);
        const auto x = torch::randn({2, 8, 64, 64});
        const auto qkv = torch::conv2d(attention->norm(x), attention->qkv->weight).reshape({2, 3, 8, 64 * 64});
        const auto q = qkv.select(1, 0), k = qkv.select(1, 1), v = qkv.select(1, 2);
        const auto weights = torch::softmax(torch::matmul(q.transpose(1, 2), k) / std::sqrt(8.0), -1);
        const auto mixed = torch::matmul(v, weights.transpose(1, 2)).reshape({2, 8, 64, 64});
        const auto expected = torch::conv2d(mixed, attention->out->weight, attention->out->bias) + x;
        QVERIFY((attention(x) - expected).abs().max().item<float>() < 1e-5f);
    }

    void inferenceLayoutGivesTheSameNoise()
    {
        // prepareForInference (channels-last weights) and the no-grad in-place activation must
        // not change the result, only its speed.
        torch::manual_seed(4);
        Sr3UNet net(test::tinyConfig());
        const auto input = torch::randn({2, 6, 16, 24});
        const auto level = torch::full({2}, 0.3f);
        const auto plain = net->forward(input, level).detach();
        torch::NoGradGuard noGrad;
        prepareForInference(net, torch::kCPU, torch::kFloat32);
        const auto prepared = net->forward(input.contiguous(torch::MemoryFormat::ChannelsLast), level);
        QVERIFY((prepared - plain).abs().max().item<float>() < 1e-5f);
    }
};

QTEST_APPLESS_MAIN(TestUNetConfig)
#include "tst_unet_config.moc"
