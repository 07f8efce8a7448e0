#include "model/model_catalog.h"

#include <cstdlib>
#include <sstream>

#include "model/model_card.h"
#include "refine/engine/error.h"

namespace refine {
namespace fs = std::filesystem;
namespace {

fs::path executableDir()
{
    std::error_code ec;
    auto self = fs::read_symlink("/proc/self/exe", ec);  // Linux; elsewhere only the other folders apply
    return ec ? fs::path() : self.parent_path();
}

ModelInfo describe(const fs::path& folder)
{
    ModelCard card = readModelCard(folder / "model.json");
    ModelInfo info = card.info;
    if (info.id.empty())
        info.id = folder.filename().string();
    info.path = (folder / card.json.value("weights", std::string("model.safetensors"))).string();
    info.format = "safetensors";
    info.parameters = card.json.value("parameters", 0LL);
    return info;
}

}  // namespace

std::vector<fs::path> modelSearchDirs()
{
    std::vector<fs::path> dirs;
    if (const char* env = std::getenv("REFINE_MODELS_DIR")) {
        std::stringstream list(env);
        for (std::string dir; std::getline(list, dir, ':');)
            if (!dir.empty())
                dirs.emplace_back(dir);
    }
    const fs::path exe = executableDir();
    if (!exe.empty())
        dirs.push_back(exe.parent_path() / "share" / "refine" / "models");
#ifdef REFINE_SOURCE_MODELS_DIR
    dirs.emplace_back(REFINE_SOURCE_MODELS_DIR);
#endif
    return dirs;
}

std::vector<ModelInfo> listInstalledModels()
{
    std::vector<ModelInfo> models;
    for (const auto& dir : modelSearchDirs()) {
        std::error_code ec;
        if (!fs::is_directory(dir, ec))
            continue;
        std::vector<fs::path> folders;
        for (const auto& entry : fs::directory_iterator(dir, ec))
            if (entry.is_directory() && fs::exists(entry.path() / "model.json"))
                folders.push_back(entry.path());
        std::sort(folders.begin(), folders.end());
        for (const auto& folder : folders) {
            ModelInfo info = describe(folder);
            bool seen = false;
            for (const auto& m : models)
                seen = seen || m.id == info.id;
            if (!seen)
                models.push_back(info);
        }
    }
    return models;
}

fs::path resolveModelPath(const std::string& nameOrPath)
{
    const std::string name = nameOrPath.empty() ? kDefaultModelId : nameOrPath;
    if (fs::exists(name))
        return fs::is_directory(name) ? fs::path(name) / "model.safetensors" : fs::path(name);
    std::string known;
    for (const auto& info : listInstalledModels()) {
        if (info.id == name)
            return info.path;
        known += (known.empty() ? "" : ", ") + info.id;
    }
    throw Error(ErrorCode::BadModel, "no model named '" + name + "' (installed: "
                                         + (known.empty() ? std::string("none") : known)
                                         + "); give a model id or the path of a .safetensors or .pth file");
}

}  // namespace refine
