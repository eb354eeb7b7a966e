#pragma once

namespace framebridge::ui {

/// @brief For QProcess::setChildProcessModifier: runs in the child between fork and exec, and
/// marks every descriptor above stderr close-on-exec, so a script gets stdin, stdout and stderr
/// and nothing else of the app (its listening socket above all, which would keep the port taken
/// after the capture stops). Marked rather than closed: QProcess still needs its own pipe to
/// learn whether exec failed. Async-signal-safe; does nothing on Windows.
void pass_only_standard_streams() noexcept;

}  // namespace framebridge::ui
