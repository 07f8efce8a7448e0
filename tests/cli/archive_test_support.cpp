#include "archive_test_support.h"

#include <fstream>
#include <cstdio>

#include "archive_log.h"
#include "refine/imaging/engine_image.h"
#include "refine/imaging/image_io.h"
#include "test_support.h"

namespace refine::test {
namespace fs = std::filesystem;

CliRun runCli(const QStringList& arguments, int timeoutMs)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(REFINE_CLI_PATH, arguments);
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
    }
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            QString::fromUtf8(process.readAll())};
}

QProcess* startCli(const QStringList& arguments)
{
    auto* process = new QProcess;
    process->setProcessChannelMode(QProcess::MergedChannels);
    process->start(REFINE_CLI_PATH, arguments);
    process->waitForStarted();
    return process;
}

std::vector<fs::path> writeTinyPhotos(const fs::path& folder, int count, int width, int height, int firstSeed,
                                      const std::string& prefix)
{
    fs::create_directories(folder);
    std::vector<fs::path> photos;
    imaging::EncodeOptions png;
    png.format = "png";
    for (int i = 0; i < count; ++i) {
        const auto bytes = imaging::encodePhoto(
            imaging::fromImageF(syntheticImage(width, height, uint64_t(firstSeed + i))), cv::Mat(), png);
        char name[64];
        std::snprintf(name, sizeof name, "%s%02d.png", prefix.c_str(), i);
        photos.push_back(folder / name);
        std::ofstream(photos.back(), std::ios::binary)
            .write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
    }
    return photos;
}

std::map<std::string, std::vector<unsigned char>> outputFilesUnder(const fs::path& folder)
{
    std::map<std::string, std::vector<unsigned char>> files;
    for (const auto& entry : fs::recursive_directory_iterator(folder)) {
        const std::string relative = entry.path().lexically_relative(folder).string();
        if (!entry.is_regular_file() || entry.path().extension() == ".jsonl" || relative.find("-logs") != std::string::npos)
            continue;
        files[relative] = fileBytes(entry.path());
    }
    return files;
}

std::vector<unsigned char> fileBytes(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

std::map<int, int> doneRecordsPerPhoto(const fs::path& logFolder)
{
    std::map<int, int> done;
    for (const auto& record : cli::readLogs(logFolder).records)
        if (record.result == cli::LogRecord::Result::Done)
            ++done[record.photo];
    return done;
}

QString str(const fs::path& path) { return QString::fromStdString(path.string()); }

}  // namespace refine::test
