// Model files: Refine's safetensors + card round trip, strict checking with messages that name
// the tensor, checksum verification, .pth without a known shape, and the model catalog.
#include <QtTest>

#include <fstream>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "expect_error.h"
#include "model/model_card.h"
#include "model/model_catalog.h"
#include "model/model_loader.h"
#include "refine/engine/error.h"
#include "shared_material.h"
#include "test_support.h"
#include "weights/safetensors.h"

using namespace refine;
namespace fs = std::filesystem;

class TestModelLoading : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    fs::path dir(const std::string& name) const { return fs::path(m_dir.path().toStdString()) / name; }

    /// Rewrites the tiny model's weights with `edit` applied and returns the loader's message.
    QString loadErrorAfter(const std::string& name, const std::function<void(weights::TensorMap&)>& edit)
    {
        const fs::path weightsPath = test::writeTinyModel(dir(name));
        auto file = weights::readSafetensors(weightsPath.string());
        edit(file.tensors);
        weights::writeSafetensors(weightsPath.string(), file.tensors, file.metadata);
        auto card = nlohmann::json::parse(std::ifstream(dir(name) / "model.json"));
        card.erase("sha256");  // test the shape checks, not the checksum
        std::ofstream(dir(name) / "model.json") << card.dump();
        try {
            loadModelFile(weightsPath);
        } catch (const Error& e) {
            return QString::fromStdString(e.what());
        }
        return {};
    }

private Q_SLOTS:
    void initTestCase() { test::useTestThreads(); }

    void roundTripKeepsTheNetwork()
    {
        torch::NoGradGuard noGrad;
        const fs::path path = test::writeTinyModel(dir("round"));
        torch::manual_seed(7);
        Sr3UNet original(test::tinyConfig());
        original->eval();
        LoadedModel loaded = loadModelFile(path);
        QCOMPARE(loaded.info.id, std::string("tiny-test"));
        QCOMPARE(loaded.info.nativeScale, 4);
        QCOMPARE(int(loaded.info.presets.size()), 3);
        QCOMPARE(loaded.betas.size(), size_t(2000));
        QVERIFY(!loaded.info.sha256.empty());
        const auto input = torch::randn({1, 6, 16, 16});
        const auto level = torch::full({1}, 0.3f);
        QVERIFY(torch::allclose(original->forward(input, level), loaded.net->forward(input, level)));
    }

    void float16WeightsLoadIntoFloat32()
    {
        torch::manual_seed(3);
        Sr3UNet net(test::tinyConfig());
        saveModel(dir("half"), net, BetaScheduleSpec{}, {{"id", "half"}, {"native_scale", 4}});
        const auto file = weights::readSafetensors((dir("half") / "model.safetensors").string());
        QCOMPARE(file.tensors.begin()->second.scalar_type(), torch::kFloat16);
        LoadedModel loaded = loadModelFile(dir("half") / "model.safetensors");
        QCOMPARE(loaded.net->parameters().front().scalar_type(), torch::kFloat32);
    }

    void strictCheckingNamesTheTensor()
    {
        QString message = loadErrorAfter("missing", [](auto& t) { t.erase("downs.0.weight"); });
        QVERIFY2(message.contains("missing tensor 'downs.0.weight'"), qPrintable(message));
        message = loadErrorAfter("shape", [](auto& t) { t["final_conv.block.3.bias"] = torch::zeros({4}); });
        QVERIFY2(message.contains("'final_conv.block.3.bias' has shape [4]"), qPrintable(message));
        message = loadErrorAfter("extra", [](auto& t) { t["downs.0.extra"] = torch::zeros({1}); });
        QVERIFY2(message.contains("unexpected tensor 'downs.0.extra'"), qPrintable(message));
        message = loadErrorAfter("dtype", [](auto& t) { t["downs.0.bias"] = torch::zeros({8}, torch::kLong); });
        QVERIFY2(message.contains("'downs.0.bias' has an integer dtype"), qPrintable(message));
    }

    void checksumMismatchIsRefused()
    {
        const fs::path path = test::writeTinyModel(dir("sum"));
        auto card = nlohmann::json::parse(std::ifstream(dir("sum") / "model.json"));
        card["sha256"] = std::string(64, '0');
        std::ofstream(dir("sum") / "model.json") << card.dump();
        VERIFY_ERROR(loadModelFile(path), ErrorCode::BadModel, {"sha256"});
    }

    void brokenCardIsAClearError()
    {
        const fs::path path = test::writeTinyModel(dir("card"));
        std::ofstream(dir("card") / "model.json") << "{ not json";
        VERIFY_ERROR(loadModelFile(path), ErrorCode::BadModel, {"not valid JSON"});
        VERIFY_ERROR(loadModelFile(dir("card") / "nothing.safetensors"), ErrorCode::BadModel, {"nothing.safetensors"});
    }

    void pthOfUnknownShapeAsksForAJsonSidecar()
    {
        SKIP_UNLESS_SHARED(test::referenceFixtureDir() / "tiny_gen.pth");
        fs::create_directories(dir("pth"));
        fs::copy_file(test::referenceFixtureDir() / "tiny_gen.pth", dir("pth") / "tiny_gen.pth");
        // GroupNorm groups cannot be guessed from the weights.
        VERIFY_ERROR(loadModelFile(dir("pth") / "tiny_gen.pth"), ErrorCode::BadModel, {"tiny_gen.json"});
    }

    void catalogFindsModelsByIdInTheModelsDir()
    {
        test::writeTinyModel(dir("catalog") / "tiny-test");
        qputenv("REFINE_MODELS_DIR", QByteArray::fromStdString((dir("catalog")).string()));
        bool found = false;
        for (const auto& info : listInstalledModels())
            found = found || (info.id == "tiny-test" && info.nativeScale == 4);
        QVERIFY(found);
        QCOMPARE(resolveModelPath("tiny-test"), dir("catalog") / "tiny-test" / "model.safetensors");
        VERIFY_ERROR(resolveModelPath("no-such-model"), ErrorCode::BadModel, {"no-such-model"});
    }

    void cardsBeyondAnySaneBoundAreRefusedAtLoad()
    {
        // Each edit of a healthy card must make loading fail with BadModel naming the problem,
        // before any weights are allocated.
        const std::vector<std::pair<std::string, std::function<void(nlohmann::json&)>>> edits{
            {"inner_channel", [](nlohmann::json& c) { c["unet"]["inner_channel"] = 200000; }},
            {"timesteps", [](nlohmann::json& c) { c["beta_schedule"]["n_timestep"] = 2000000000; }},
            {"cannot run", [](nlohmann::json& c) { c["presets"][1]["sampler"] = "euler"; }},
            {"default preset", [](nlohmann::json& c) { c["default_preset"] = "Turbo"; }},
        };
        int i = 0;
        for (const auto& [expected, edit] : edits) {
            const fs::path weights = test::writeTinyModel(dir("bounds" + std::to_string(i++)));
            nlohmann::json card;
            std::ifstream(weights.parent_path() / "model.json") >> card;
            edit(card);
            std::ofstream(weights.parent_path() / "model.json") << card.dump();
            VERIFY_ERROR(loadModelFile(weights), ErrorCode::BadModel, {QString::fromStdString(expected)});
        }
    }

    void cardNumbersMustBeWholeAndInRange()
    {
        // fuzz_model_card found that 7.8e56 channels was undefined behaviour (a double converted to
        // int); 4294967304 became 8 and loaded. Every count in a card is now checked.
        const nlohmann::json residualShift = {{"id", "rs"}, {"kind", "residual-shift"},
                                              {"residual_shift", {{"scale", 4}, {"clean", {{"channels", 8}}}}}};
        const nlohmann::json sr3 = {{"id", "sr3"}, {"unet", toJson(test::tinyConfig())}};
        const std::vector<std::pair<std::string, std::function<void(nlohmann::json&, nlohmann::json&)>>> edits{
            {"'channels'", [](auto& rs, auto&) { rs["residual_shift"]["clean"]["channels"] = 7.8e56; }},
            {"'scale'", [](auto& rs, auto&) { rs["residual_shift"]["scale"] = 4.5; }},
            {"'inner_channel'", [](auto&, auto& s) { s["unet"]["inner_channel"] = 4294967304ull; }},
            {"'channel_mults'", [](auto&, auto& s) { s["unet"]["channel_mults"] = {1, -1e30}; }},
            {"'steps'", [](auto&, auto& s) { s["presets"] = {{{"name", "Fast"}, {"sampler", "ddim"}, {"steps", 2.5}}}; }},
            {"'n_timestep'", [](auto&, auto& s) { s["beta_schedule"] = {{"n_timestep", -1e20}}; }},
            {"'native_scale'", [](auto&, auto& s) { s["native_scale"] = "four"; }},
        };
        for (const auto& [field, edit] : edits) {
            nlohmann::json rs = residualShift, s = sr3;
            edit(rs, s);
            const nlohmann::json& edited = rs != residualShift ? rs : s;
            VERIFY_ERROR(modelCardFromJson(edited, "card"), ErrorCode::BadModel, {QString::fromStdString(field)});
        }
        nlohmann::json written = sr3;
        written["native_scale"] = 4.0;  // a whole number written as a float is still that number
        QCOMPARE(modelCardFromJson(written, "card").info.nativeScale, 4);
    }

    void hostileCardsAreRefusedBeforeParsing()
    {
        // 200 KB of nested brackets used to crash the catalog (stack overflow while copying the
        // parsed JSON), taking `refine-cli models` and the app's start-up down with it.
        const fs::path models = dir("hostile-cards");
        test::writeTinyModel(models / "healthy");
        fs::create_directories(models / "deep");
        std::ofstream(models / "deep" / "model.json")
            << "{\"id\": \"deep\", \"training\": " << std::string(100000, '[') << std::string(100000, ']') << "}";
        VERIFY_ERROR(readModelCard(models / "deep" / "model.json"), ErrorCode::BadModel, {"nests more than 64 levels"});
        fs::create_directories(models / "huge");
        std::ofstream(models / "huge" / "model.json")
            << "{\"id\": \"huge\", \"description\": \"" << std::string(2 << 20, 'x') << "\"}";
        VERIFY_ERROR(readModelCard(models / "huge" / "model.json"), ErrorCode::BadModel, {"larger than 1 MB"});

        qputenv("REFINE_MODELS_DIR", QByteArray::fromStdString(models.string()));
        std::vector<std::string> problems;
        const auto listed = listInstalledModels(&problems);
        QCOMPARE(int(listed.size()) >= 1, true);
        QCOMPARE(listed.front().id, std::string("tiny-test"));
        QCOMPARE(int(problems.size()), 2);
    }

    void brokenModelFoldersDoNotHideTheHealthyOnes()
    {
        const fs::path models = dir("mixed");
        test::writeTinyModel(models / "healthy");
        fs::create_directories(models / "malformed");
        std::ofstream(models / "malformed" / "model.json") << "{ \"id\": ";
        fs::create_directories(models / "weights-not-text");
        std::ofstream(models / "weights-not-text" / "model.json") << R"({"id": "w", "weights": 42})";
        fs::create_directories(models / "escapes");
        std::ofstream(models / "escapes" / "model.json") << R"({"id": "e", "weights": "../../../etc/passwd"})";
        fs::create_directories(models / "folder-card" / "model.json");  // a folder named like the card
        fs::create_directory_symlink(models / "loop", models / "loop");  // a symlink loop
        qputenv("REFINE_MODELS_DIR", QByteArray::fromStdString(models.string()));

        std::vector<std::string> problems;
        const auto listed = listInstalledModels(&problems);
        QCOMPARE(int(listed.size()) >= 1, true);
        QCOMPARE(listed.front().id, std::string("tiny-test"));
        for (const auto& info : listed)
            QVERIFY2(info.id != "w" && info.id != "e", info.id.c_str());
        QCOMPARE(int(problems.size()), 3);  // malformed, weights-not-text, escapes
        QVERIFY(QString::fromStdString(problems[0] + problems[1] + problems[2]).contains("inside the model's folder"));
        QCOMPARE(resolveModelPath("tiny-test"), models / "healthy" / "model.safetensors");
        VERIFY_ERROR(resolveModelPath((models / "loop").string()), ErrorCode::BadModel, {"no model named"});
    }

    void aBrokenModelNamedByItsFolderSaysWhy()
    {
        // The bad-input probe (tools/probe) found `--model malformed` answered with "no model named
        // 'malformed' (installed: ...)" while the folder was there with a broken card.
        const fs::path models = dir("named-broken");
        test::writeTinyModel(models / "healthy");
        fs::create_directories(models / "malformed");
        std::ofstream(models / "malformed" / "model.json") << "{ \"id\": ";
        fs::create_directories(models / "escapes");
        std::ofstream(models / "escapes" / "model.json") << R"({"id": "escapes", "weights": "../../../etc/passwd"})";
        fs::create_directories(models / "looped");
        fs::create_symlink("model.json", models / "looped" / "model.json");
        qputenv("REFINE_MODELS_DIR", QByteArray::fromStdString(models.string()));

        VERIFY_ERROR(resolveModelPath("malformed"), ErrorCode::BadModel, {"'malformed'", "cannot be used", "not valid JSON"});
        VERIFY_ERROR(resolveModelPath("escapes"), ErrorCode::BadModel, {"'escapes'", "inside the model's folder"});
        VERIFY_ERROR(resolveModelPath("looped"), ErrorCode::BadModel, {"'looped'", "cannot be used"});
        VERIFY_ERROR(resolveModelPath("no-such-model"), ErrorCode::BadModel, {"no model named"});
        QCOMPARE(resolveModelPath("tiny-test"), models / "healthy" / "model.safetensors");
    }
};

QTEST_APPLESS_MAIN(TestModelLoading)
#include "tst_model_loading.moc"
