#pragma once

class QWidget;

namespace framebridge::ui {

/// @brief Makes SIGINT and SIGTERM close `window` on the GUI thread, as its close button would,
/// so that Ctrl+C in a terminal or a `kill` also stops the scripts and removes the segment.
/// Does nothing where there are no such signals.
void close_on_termination_signals(QWidget& window);

}  // namespace framebridge::ui
