#pragma once
/// @file archive_test_support.h
/// @brief What the archive tests share: running refine-cli, tiny photos, reading an archive's
/// outputs and logs back.

#include <QProcess>
#include <QString>
#include <QStringList>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace refine::test {

struct CliRun {
    int exitCode = -1;  ///< -1: crashed, killed or timed out
    QString output;     ///< stdout and stderr
};

/// Runs refine-cli to the end (at most `timeoutMs`).
CliRun runCli(const QStringList& arguments, int timeoutMs = 240000);

/// Starts refine-cli without waiting; the caller owns the process.
QProcess* startCli(const QStringList& arguments);

/// `count` different small PNG photos `<prefix>NN.png` in `folder` (made from seeds first..).
std::vector<std::filesystem::path> writeTinyPhotos(const std::filesystem::path& folder, int count, int width = 12,
                                                   int height = 10, int firstSeed = 1, const std::string& prefix = "p");

/// Every regular file below `folder` except the archive's manifests and logs, relative path -> bytes.
std::map<std::string, std::vector<unsigned char>> outputFilesUnder(const std::filesystem::path& folder);

std::vector<unsigned char> fileBytes(const std::filesystem::path& path);

/// Number of done records per photo id in an archive's log folder.
std::map<int, int> doneRecordsPerPhoto(const std::filesystem::path& logFolder);

QString str(const std::filesystem::path& path);

}  // namespace refine::test
