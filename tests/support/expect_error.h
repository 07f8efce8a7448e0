#pragma once
/// @file expect_error.h
/// @brief The one way tests expect a refine::Error: VERIFY_ERROR(call, code[, {fragments}]).
///
/// Torch-free and Qt Test only, so engine, imaging, CLI and UI tests all use it. A failure says
/// what happened instead: no exception, another code (with the message), a message without one
/// of the fragments, or an exception of another type (which the program would not have caught).

#include <QString>
#include <QStringList>
#include <QTest>

#include <exception>
#include <functional>

#include "refine/engine/error.h"

namespace refine::test {

/// The name of an error code as the tests print it.
inline QString errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::InvalidArgument: return QStringLiteral("InvalidArgument");
    case ErrorCode::BadModel: return QStringLiteral("BadModel");
    case ErrorCode::BadImage: return QStringLiteral("BadImage");
    case ErrorCode::OutOfMemory: return QStringLiteral("OutOfMemory");
    case ErrorCode::Io: return QStringLiteral("Io");
    case ErrorCode::Internal: return QStringLiteral("Internal");
    }
    return QStringLiteral("ErrorCode(%1)").arg(int(code));
}

/// Empty when `call` throws a refine::Error of `code` whose message holds every fragment;
/// otherwise what happened instead.
inline QString errorMismatch(const std::function<void()>& call, ErrorCode code, const QStringList& fragments = {})
{
    try {
        call();
        return QStringLiteral("no error was thrown (expected %1)").arg(errorCodeName(code));
    } catch (const Error& e) {
        const QString message = QString::fromStdString(e.what());
        if (e.code() != code)
            return QStringLiteral("expected %1, got %2: %3").arg(errorCodeName(code), errorCodeName(e.code()), message);
        for (const QString& fragment : fragments) {
            if (!message.contains(fragment))
                return QStringLiteral("message lacks '%1': %2").arg(fragment, message);
        }
        return QString();
    } catch (const std::exception& e) {
        return QStringLiteral("not a refine::Error: ") + QString::fromUtf8(e.what());
    }
}

}  // namespace refine::test

/// Fails the current test unless `call` (a statement) throws a refine::Error of the given code
/// whose message holds each fragment: VERIFY_ERROR(f(x), ErrorCode::BadImage, {"x.png", "truncated"}).
/// The fragments are optional.
#define VERIFY_ERROR(call, ...)                                                                      \
    do {                                                                                             \
        const QString verifyErrorProblem = refine::test::errorMismatch([&] { call; }, __VA_ARGS__); \
        QVERIFY2(verifyErrorProblem.isEmpty(), qPrintable(verifyErrorProblem));                     \
    } while (false)
