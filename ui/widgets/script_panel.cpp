#include "widgets/script_panel.hpp"

#include "controllers/script_runner.hpp"
#include "controllers/script_set.hpp"
#include "models/recent_scripts.hpp"
#include "models/script_catalog.hpp"
#include "widgets/python_field.hpp"
#include "widgets/script_log.hpp"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QStyle>
#include <QTabWidget>

namespace framebridge::ui {

ScriptPanel::ScriptPanel(ScriptSet& scripts, const QStringList& examples, QWidget* parent)
    : QWidget(parent),
      scripts_(scripts),
      script_(new QComboBox),
      arguments_(new QLineEdit),
      port_(new QSpinBox),
      python_(new PythonField),
      run_(new QPushButton(tr("Run"))),
      stop_(new QPushButton(tr("Stop"))),
      logs_(new QStackedWidget),
      tabs_(new QTabWidget) {
    script_->setObjectName("script");
    script_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    for (const QString& example : examples) {
        add_script(example);
    }
    arguments_->setObjectName("script_arguments");
    arguments_->setToolTip(tr("Arguments for the script; {port} becomes the capture's port"));
    port_->setObjectName("script_port");
    port_->setRange(1, 65535);
    port_->setValue(7600);
    port_->setToolTip(
        tr("The server the script connects to: the capture's port while it runs, "
           "or a framebridge-server started elsewhere"));
    run_->setObjectName("run_script");
    run_->setToolTip(tr("Runs the script in a tab of its own; several may run at once"));
    stop_->setObjectName("stop_script");
    stop_->setToolTip(tr("Stops the script of the tab shown"));
    tabs_->setObjectName("script_tabs");
    tabs_->setTabsClosable(true);
    tabs_->setDocumentMode(true);
    tabs_->setUsesScrollButtons(true);
    tabs_->setElideMode(Qt::ElideNone);  // whole names; the tabs scroll when they do not fit
    auto* hint = new QLabel(tr("What a script prints appears here, each run in a tab of its own."));
    hint->setAlignment(Qt::AlignCenter);
    hint->setWordWrap(true);
    hint->setEnabled(false);
    logs_->addWidget(hint);
    logs_->addWidget(tabs_);
    auto* browse = new QPushButton(tr("Browse…"));

    auto* layout = new QGridLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new QLabel(tr("Script")), 0, 0);
    layout->addWidget(script_, 0, 1);
    layout->addWidget(browse, 0, 2);
    layout->addWidget(new QLabel(tr("Arguments")), 1, 0);
    auto* arguments_row = new QHBoxLayout;
    arguments_row->addWidget(arguments_, 1);
    arguments_row->addWidget(new QLabel(tr("Port")));
    arguments_row->addWidget(port_);
    layout->addLayout(arguments_row, 1, 1);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(run_);
    buttons->addWidget(stop_);
    layout->addLayout(buttons, 1, 2);
    layout->addWidget(new QLabel(tr("Python")), 2, 0);
    layout->addWidget(python_, 2, 1, 1, 2);
    layout->addWidget(logs_, 3, 0, 1, 3);
    layout->setColumnStretch(1, 1);
    layout->setRowStretch(3, 1);

    connect(browse, &QPushButton::clicked, this, &ScriptPanel::browse);
    connect(run_, &QPushButton::clicked, this, &ScriptPanel::run);
    connect(stop_, &QPushButton::clicked, this, [this] {
        if (ScriptLog* log = current_log()) {
            log->runner().stop();
        }
    });
    connect(&scripts_, &ScriptSet::added, this, &ScriptPanel::add_log);
    connect(tabs_, &QTabWidget::currentChanged, this, &ScriptPanel::update_buttons);
    connect(tabs_, &QTabWidget::tabCloseRequested, this, &ScriptPanel::close_log);
    set_choice(ScriptChoice{});
    update_buttons();
}

void ScriptPanel::set_port(std::optional<std::uint16_t> port) {
    if (port) {
        port_->setValue(*port);
    }
}

std::uint16_t ScriptPanel::port() const {
    return static_cast<std::uint16_t>(port_->value());
}

ScriptChoice ScriptPanel::choice() const {
    return {script_->currentData().toString(), arguments_->text(), python_->python()};
}

void ScriptPanel::set_choice(const ScriptChoice& choice) {
    if (!choice.path.isEmpty() && QFileInfo::exists(choice.path)) {
        add_script(choice.path);
    }
    arguments_->setText(choice.arguments);
    if (!choice.python.isEmpty()) {
        python_->set_python(choice.python);
    }
}

void ScriptPanel::set_recent(const QStringList& recent) {
    recent_ = recent;
    const int chosen = script_->currentIndex();
    for (const QString& path : recent_) {
        if (QFileInfo::exists(path) && script_->findData(path) < 0) {
            add_script(path);
        }
    }
    script_->setCurrentIndex(chosen);
}

void ScriptPanel::run() {
    if (script_->currentIndex() < 0) {
        return;
    }
    const QString path = choice().path;
    recent_ = remember_script(recent_, path);
    Q_EMIT recent_changed(recent_);
    scripts_.run(python_->python(), path, script_arguments(arguments_->text(), port()));
}

void ScriptPanel::run_script(const QString& path) {
    add_script(path);
    run();
}

ScriptLog* ScriptPanel::current_log() const {
    return qobject_cast<ScriptLog*>(tabs_->currentWidget());
}

int ScriptPanel::log_count() const {
    return tabs_->count();
}

QString ScriptPanel::log_text() const {
    const ScriptLog* log = current_log();
    return log != nullptr ? log->text() : QString();
}

void ScriptPanel::add_script(const QString& path) {
    int index = script_->findData(path);
    if (index < 0) {
        script_->addItem(QFileInfo(path).fileName(), path);
        script_->setItemData(script_->count() - 1, path, Qt::ToolTipRole);
        index = script_->count() - 1;
    }
    script_->setCurrentIndex(index);
    update_buttons();
}

void ScriptPanel::browse() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Choose a Python script"),
                                                      QFileInfo(choice().path).absolutePath(),
                                                      tr("Python scripts (*.py);;All files (*)"));
    if (!path.isEmpty()) {
        add_script(path);
    }
}

void ScriptPanel::add_log(ScriptRunner* runner, const QString& script) {
    const QString name = QFileInfo(script).fileName();
    const int run = ++runs_by_name_[name];
    auto* log = new ScriptLog(*runner);
    const int index = tabs_->addTab(log, run == 1 ? name : QString("%1 (%2)").arg(name).arg(run));
    tabs_->setTabToolTip(index, script);
    connect(log, &ScriptLog::state_changed, this, [this, log] {
        // Seen from any tab: which scripts run, and which failed.
        const ScriptRunner& ran = log->runner();
        QIcon icon;
        if (ran.is_running()) {
            icon = style()->standardIcon(QStyle::SP_MediaPlay);
        } else if (ran.failed()) {
            icon = style()->standardIcon(QStyle::SP_MessageBoxCritical);
        }
        tabs_->setTabIcon(tabs_->indexOf(log), icon);
        update_buttons();
    });
    tabs_->setCurrentIndex(index);
    logs_->setCurrentWidget(tabs_);
}

void ScriptPanel::close_log(int index) {
    auto* log = qobject_cast<ScriptLog*>(tabs_->widget(index));
    if (log == nullptr) {
        return;
    }
    ScriptRunner& runner = log->runner();
    tabs_->removeTab(index);
    delete log;
    scripts_.remove(runner);  // a script still running is stopped with its tab
    if (tabs_->count() == 0) {
        logs_->setCurrentIndex(0);
    }
    update_buttons();
}

void ScriptPanel::update_buttons() {
    const ScriptLog* log = current_log();
    run_->setEnabled(script_->currentIndex() >= 0);
    stop_->setEnabled(log != nullptr && log->runner().is_running());
}

}  // namespace framebridge::ui
