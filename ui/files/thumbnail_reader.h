#pragma once
/// @file thumbnail_reader.h
/// @brief The small pictures of the queue, made by the imaging library's reduced decode (a JPEG
/// at 1/2 to 1/8 of its size by libjpeg's DCT scaling, other formats at 8 bits), never the full
/// float decode the app makes of the photo it opens, and shown through the photo's profile.

#include <QImage>
#include <QString>

namespace refine::ui {

/// The photo at `path` shrunk to fit `side` x `side` (never enlarged), upright and in screen
/// colours; null when it cannot be read or is larger than the app opens. Never throws; any thread.
QImage readThumbnail(const QString& path, int side);

}  // namespace refine::ui
