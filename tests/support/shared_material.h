#pragma once
/// @file shared_material.h
/// @brief Tests that read ../shared (the golden checkpoint, reference photos) skip, saying which
/// path is missing, on a checkout without it, instead of failing: SKIP_UNLESS_SHARED(path).

#include <QString>
#include <QTest>

#include <filesystem>
#include <system_error>

namespace refine::test {

/// REFINE_SHARED_DIR (../shared beside the checkout unless configured otherwise) / `relative`.
inline std::filesystem::path sharedPath(const std::filesystem::path& relative)
{
    return std::filesystem::path(REFINE_SHARED_DIR) / relative;
}

/// Empty when `path` exists; otherwise why the test is skipped.
inline QString missingSharedMaterial(const std::filesystem::path& path)
{
    std::error_code error;
    if (std::filesystem::exists(path, error))
        return QString();
    return QStringLiteral("needs %1 from the shared folder (../shared beside the checkout, or configure with "
                          "-DREFINE_SHARED_DIR=...), which is missing")
        .arg(QString::fromStdString(path.string()));
}

}  // namespace refine::test

/// Skips the current test slot (from initTestCase: the whole test case) when `path` is missing.
#define SKIP_UNLESS_SHARED(path)                                                                \
    do {                                                                                        \
        const QString skipUnlessSharedReason = refine::test::missingSharedMaterial(path);       \
        if (!skipUnlessSharedReason.isEmpty())                                                  \
            QSKIP(qPrintable(skipUnlessSharedReason));                                          \
    } while (false)
