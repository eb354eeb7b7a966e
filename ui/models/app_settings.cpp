#include "models/app_settings.hpp"

#include "models/python_interpreter.hpp"

namespace framebridge::ui {

CaptureForm load_form(const QSettings& settings) {
    CaptureForm form;
    form.source = choice_from_spec(settings.value("capture/source", "synthetic").toString());
    form.size = settings.value("capture/size", form.size).toString();
    form.fps = settings.value("capture/fps", form.fps).toString();
    form.fourcc = settings.value("capture/fourcc", form.fourcc).toString();
    form.loop = settings.value("capture/loop", form.loop).toBool();
    form.port = settings.value("capture/port", form.port).toInt();
    form.name = settings.value("capture/name", form.name).toString();
    form.slots = settings.value("capture/slots", form.slots).toInt();
    form.rtsp_port = settings.value("capture/rtsp_port", form.rtsp_port).toInt();
    return form;
}

void save_form(QSettings& settings, const CaptureForm& form) {
    QString source;
    try {
        source = to_spec(form.source);
    } catch (const std::invalid_argument&) {
        source = "synthetic";  // an unfinished choice (an empty file name) is not worth keeping
    }
    settings.setValue("capture/source", source);
    settings.setValue("capture/size", form.size);
    settings.setValue("capture/fps", form.fps);
    settings.setValue("capture/fourcc", form.fourcc);
    settings.setValue("capture/loop", form.loop);
    settings.setValue("capture/port", form.port);
    settings.setValue("capture/name", form.name);
    settings.setValue("capture/slots", form.slots);
    settings.setValue("capture/rtsp_port", form.rtsp_port);
}

ScriptChoice load_script(const QSettings& settings) {
    ScriptChoice script;
    script.path = settings.value("script/path", script.path).toString();
    script.arguments = settings.value("script/arguments", script.arguments).toString();
    script.python = settings.value("script/python").toString();
    if (script.python.isEmpty()) {
        script.python = default_python();  // looked for only when there is no choice to keep
    }
    return script;
}

void save_script(QSettings& settings, const ScriptChoice& script) {
    settings.setValue("script/path", script.path);
    settings.setValue("script/arguments", script.arguments);
    settings.setValue("script/python", script.python);
}

QStringList load_recent_scripts(const QSettings& settings) {
    return settings.value("script/recent").toStringList();
}

void save_recent_scripts(QSettings& settings, const QStringList& recent) {
    settings.setValue("script/recent", recent);
}

WindowLayout load_layout(const QSettings& settings) {
    WindowLayout layout;
    layout.geometry = settings.value("window/geometry").toByteArray();
    for (const QVariant& state : settings.value("window/splitters").toList()) {
        layout.splitters.append(state.toByteArray());
    }
    return layout;
}

void save_layout(QSettings& settings, const WindowLayout& layout) {
    settings.setValue("window/geometry", layout.geometry);
    QVariantList states;
    for (const QByteArray& state : layout.splitters) {
        states.append(state);
    }
    settings.setValue("window/splitters", states);
}

}  // namespace framebridge::ui
