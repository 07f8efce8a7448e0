#pragma once
/// @file window_placement.h
/// @brief Where the main window opens the first time, before the user has placed it (afterwards
/// QSettings restores what they chose): a sensible share of the screen, centred, at least the
/// size its contents need when the screen has room for them.

#include <QRect>
#include <QSize>

namespace refine::ui {

/// The share of the available screen area a first start takes, on each axis.
constexpr double kFirstStartShare = 0.8;

/// `share` of `available` (a screen's available geometry) on each axis, at least `needed`, never
/// more than `available`, centred in it.
QRect firstStartGeometry(const QRect& available, QSize needed, double share = kFirstStartShare);

}  // namespace refine::ui
