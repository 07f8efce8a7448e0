#include "model/model_catalog.h"

#include <cstdlib>
#include <sstream>

#include <algorithm>

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

/// The card's weights file, which must be a plain file name inside the model's folder: a card
/// cannot point Refine at files elsewhere.
fs::path weightsPathOf(const fs::path& folder, const nlohmann::json& card)
{
    const auto it = card.find("weights");
    if (it == card.end())
        return folder / "model.safetensors";
    if (!it->is_string())
        throw Error(ErrorCode::BadModel, "its card's \"weights\" is not a file name");
    const fs::path name = it->get<std::string>();
    if (name.empty() || name.has_parent_path() || name == "." || name == "..")
        throw Error(ErrorCode::BadModel, "its card's \"weights\" must name a file inside the model's folder, not '"
                                             + name.string() + "'");
    return folder / name;
}

ModelInfo describe(const fs::path& folder)
{
    ModelCard card = readModelCard(folder / "model.json");
    ModelInfo info = card.info;
    if (info.id.empty())
        info.id = folder.filename().string();
    info.path = weightsPathOf(folder, card.json).string();
    info.format = "safetensors";
    const auto parameters = card.json.find("parameters");
    info.parameters = parameters != card.json.end() && parameters->is_number_integer() ? parameters->get<long long>() : 0;
    return info;
}

/// Model folders of one search directory, sorted; entries that cannot be examined are skipped.
std::vector<fs::path> modelFoldersIn(const fs::path& dir)
{
    std::vector<fs::path> folders;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code entryError;
        if (it->is_directory(entryError) && fs::is_regular_file(it->path() / "model.json", entryError))
            folders.push_back(it->path());
    }
    std::sort(folders.begin(), folders.end());
    return folders;
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

std::vector<ModelInfo> listInstalledModels(std::vector<std::string>* problems)
{
    std::vector<ModelInfo> models;
    for (const auto& dir : modelSearchDirs()) {
        std::error_code ec;
        if (!fs::is_directory(dir, ec))
            continue;
        for (const auto& folder : modelFoldersIn(dir)) {
            ModelInfo info;
            try {
                info = describe(folder);
            } catch (const std::exception& e) {
                // One broken folder must not hide the healthy models beside it.
                if (problems)
                    problems->push_back(folder.string() + ": " + e.what());
                continue;
            }
            bool seen = false;
            for (const auto& m : models)
                seen = seen || m.id == info.id;
            if (!seen)
                models.push_back(info);
        }
    }
    return models;
}

namespace {

/// A model folder named `name` in a search directory that the catalog left out because its card
/// cannot be used: its problem is thrown, so that naming it does not end in "no model named".
void throwWhyInstalledModelIsBroken(const std::string& name)
{
    const fs::path asPath(name);
    if (name.empty() || asPath.has_parent_path() || name == "." || name == "..")
        return;
    for (const auto& dir : modelSearchDirs()) {
        const fs::path folder = dir / asPath;
        std::error_code ec;
        if (!fs::is_directory(folder, ec) || fs::symlink_status(folder / "model.json", ec).type() == fs::file_type::not_found)
            continue;
        try {
            describe(folder);
        } catch (const std::exception& e) {
            throw Error(ErrorCode::BadModel, "the model '" + name + "' in " + folder.string() + " cannot be used: "
                                                 + e.what());
        }
    }
}

}  // namespace

fs::path resolveModelPath(const std::string& nameOrPath)
{
    const std::string name = nameOrPath.empty() ? kDefaultModelId : nameOrPath;
    std::error_code ec;
    if (fs::exists(name, ec))
        return fs::is_directory(name, ec) ? fs::path(name) / "model.safetensors" : fs::path(name);
    std::string known;
    for (const auto& info : listInstalledModels()) {
        if (info.id == name)
            return info.path;
        known += (known.empty() ? "" : ", ") + info.id;
    }
    throwWhyInstalledModelIsBroken(name);
    throw Error(ErrorCode::BadModel, "no model named '" + name + "' (installed: "
                                         + (known.empty() ? std::string("none") : known)
                                         + "); give a model id or the path of a .safetensors or .pth file");
}

}  // namespace refine
