#pragma once

#include "models/capture_form.hpp"

#include <QByteArray>
#include <QList>
#include <QSettings>
#include <QString>
#include <QStringList>

namespace framebridge::ui {

/// @brief The script the user last ran, the arguments it was given, and the Python it ran with.
struct ScriptChoice {
    QString path;
    QString arguments = "--port {port}";
    QString python;  ///< empty: not chosen (load_script() fills in default_python())
};

/// @brief Window geometry and the splitters' positions, as Qt saves them.
struct WindowLayout {
    QByteArray geometry;
    QList<QByteArray> splitters;  ///< QSplitter::saveState() of each, in the window's order
};

// Every key the app keeps between runs is read and written here, and nowhere else.
CaptureForm load_form(const QSettings& settings);
void save_form(QSettings& settings, const CaptureForm& form);
ScriptChoice load_script(const QSettings& settings);
void save_script(QSettings& settings, const ScriptChoice& script);
/// @brief The scripts run lately, most recent first (remember_script()).
QStringList load_recent_scripts(const QSettings& settings);
void save_recent_scripts(QSettings& settings, const QStringList& recent);
WindowLayout load_layout(const QSettings& settings);
void save_layout(QSettings& settings, const WindowLayout& layout);

}  // namespace framebridge::ui
