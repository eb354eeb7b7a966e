#include "widgets/source_panel.hpp"

#include "framebridge/app/sources/source_factory.hpp"
#ifdef FRAMEBRIDGE_HAVE_OPENCV
#include "framebridge/app/sources/camera_list.hpp"
#endif

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace framebridge::ui {

using Kind = app::SourceSpec::Kind;

namespace {

constexpr int CAMERAS_TO_TRY = 10;

QComboBox* editable_combo(const QStringList& items, const QString& placeholder) {
    auto* combo = new QComboBox;
    combo->setEditable(true);
    combo->addItems(items);
    combo->setInsertPolicy(QComboBox::NoInsert);
    combo->setCurrentIndex(-1);
    combo->lineEdit()->setPlaceholderText(placeholder);
    return combo;
}

QWidget* row(std::initializer_list<QWidget*> widgets) {
    auto* box = new QWidget;
    auto* layout = new QHBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    for (QWidget* widget : widgets) {
        layout->addWidget(widget);
    }
    return box;
}

}  // namespace

SourcePanel::SourcePanel(QWidget* parent)
    : QWidget(parent),
      kind_(new QComboBox),
      details_(new QStackedWidget),
      camera_(new QSpinBox),
      cameras_found_(new QLabel),
      find_cameras_(new QPushButton(tr("Find cameras"))),
      file_(new QLineEdit),
      url_(new QLineEdit),
      pipeline_(new QLineEdit),
      size_(editable_combo({"3840x2160", "1920x1080", "1280x720", "640x480"},
                           tr("the source's own"))),
      fps_(editable_combo({"60", "30", "15", "0"}, tr("the source's own"))),
      fourcc_(new QLineEdit),
      loop_(new QCheckBox(tr("Play again from the start when it ends"))),
      port_(new QSpinBox),
      name_(new QLineEdit),
      slots_(new QSpinBox),
      rtsp_port_(new QSpinBox),
      start_(new QPushButton(tr("Start"))),
      apply_(new QPushButton(tr("Apply"))),
      stop_(new QPushButton(tr("Stop"))),
      error_(new QLabel),
      note_(new QLabel),
      ended_(new QWidget) {
    // Kept in the order of app::SourceSpec::Kind: the combo's index is the kind.
    kind_->addItems({tr("Synthetic test pattern"), tr("Camera"), tr("Video file"), tr("Stream URL"),
                     tr("GStreamer pipeline")});
    kind_->setObjectName("source_kind");
    size_->setObjectName("size");
    size_->setToolTip(tr("WIDTHxHEIGHT; empty: the source's own (3840x2160 for the pattern)"));
    fps_->setObjectName("fps");
    fps_->setToolTip(
        tr("Frames per second; 0: as fast as the source goes; empty: the source's "
           "own (30 for the pattern)"));
    fourcc_->setPlaceholderText(tr("the camera's choice, e.g. MJPG"));
    port_->setRange(0, 65535);
    port_->setSpecialValueText(tr("any free port"));
    port_->setObjectName("port");
    name_->setObjectName("stream_name");
    name_->setToolTip(tr("The shared-memory segment's name"));
    slots_->setObjectName("slots");
    slots_->setRange(static_cast<int>(shm::MIN_SLOTS), static_cast<int>(shm::MAX_SLOTS));
    slots_->setToolTip(tr("Frames in the ring; each client may hold slots - 1 at once"));
    rtsp_port_->setObjectName("rtsp_port");
    rtsp_port_->setRange(0, 65535);
    rtsp_port_->setSpecialValueText(tr("off"));
    rtsp_port_->setToolTip(
        tr("Also serve every stream at rtsp://127.0.0.1:PORT/NAME (e.g. 8554), for "
           "readers on other machines; see docs/rtsp.md"));
    start_->setObjectName("start");
    start_->setDefault(true);
    stop_->setObjectName("stop");
    apply_->setObjectName("apply");
    apply_->setToolTip(
        tr("Serve this source, size and fps now; running scripts go on with the new frames"));
    note_->setObjectName("note");
    note_->setWordWrap(true);
    note_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    note_->hide();
    error_->setObjectName("error");
    error_->setWordWrap(true);
    error_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    error_->setStyleSheet("QLabel { color: #b00020; }");
    error_->hide();

    auto* form = new QFormLayout;
    form->addRow(tr("Source"), kind_);
    form->addRow(details_);
    form->addRow(tr("Size"), size_);
    form->addRow(tr("FPS"), fps_);
    form->addRow(tr("Encoding"), fourcc_);
    form->addRow(loop_);
    form->addRow(tr("Port"), port_);
    form->addRow(tr("Stream name"), name_);
    form->addRow(tr("Slots"), slots_);
    form->addRow(tr("RTSP port"), rtsp_port_);
    details_->addWidget(
        new QLabel(tr("A moving pattern that stamps each frame's number into "
                      "its first and last bytes.")));
    details_->addWidget(make_source_details());
    for (QLineEdit* field : {file_, url_, pipeline_}) {
        auto* browse = field == file_ ? new QPushButton(tr("Browse…")) : nullptr;
        details_->addWidget(browse ? row({field, browse}) : field);
        if (browse) {
            connect(browse, &QPushButton::clicked, this, &SourcePanel::choose_file);
        }
    }
    qobject_cast<QLabel*>(details_->widget(0))->setWordWrap(true);
    file_->setPlaceholderText(tr("a video file"));
    url_->setPlaceholderText("rtsp://camera.local/stream");
    pipeline_->setPlaceholderText("videotestsrc ! videoconvert ! appsink");

    auto* ended_text = new QLabel(tr("The file has ended."));
    ended_text->setStyleSheet("QLabel { font-weight: bold; }");
    auto* play_again = new QPushButton(tr("Play again"));
    play_again->setObjectName("play_again");
    ended_ = row({ended_text, play_again});
    ended_->setObjectName("ended");
    ended_->hide();

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(row({start_, apply_, stop_}));
    layout->addWidget(ended_);
    layout->addWidget(error_);
    layout->addWidget(note_);
    layout->addStretch();
    connect(play_again, &QPushButton::clicked, this, &SourcePanel::play_again_requested);
    connect(apply_, &QPushButton::clicked, this, &SourcePanel::apply_requested);

    connect(kind_, &QComboBox::currentIndexChanged, this, &SourcePanel::on_kind_changed);
    connect(start_, &QPushButton::clicked, this, &SourcePanel::start_requested);
    connect(stop_, &QPushButton::clicked, this, &SourcePanel::stop_requested);
    set_form(CaptureForm{});
    set_state(CaptureController::State::Stopped);
}

QWidget* SourcePanel::make_source_details() {
    camera_->setRange(0, 999);
    camera_->setPrefix("camera:");
    cameras_found_->setWordWrap(true);
    cameras_found_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    connect(find_cameras_, &QPushButton::clicked, this, &SourcePanel::find_cameras);
    auto* box = new QWidget;
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(row({camera_, find_cameras_}));
    layout->addWidget(cameras_found_);
    if (!app::can_open_video_sources()) {
        find_cameras_->hide();
        cameras_found_->setText(tr("This build has no OpenCV: only the test pattern."));
    }
    return box;
}

CaptureForm SourcePanel::form() const {
    CaptureForm form;
    form.source.kind = static_cast<Kind>(kind_->currentIndex());
    form.source.camera = camera_->value();
    form.source.file = file_->text();
    form.source.url = url_->text();
    form.source.pipeline = pipeline_->text();
    form.size = size_->currentText().trimmed();
    form.fps = fps_->currentText().trimmed();
    form.fourcc = fourcc_->text().trimmed();
    form.loop = loop_->isChecked();
    form.port = port_->value();
    form.name = name_->text().trimmed();
    form.slots = slots_->value();
    form.rtsp_port = rtsp_port_->value();
    return form;
}

void SourcePanel::set_form(const CaptureForm& form) {
    kind_->setCurrentIndex(static_cast<int>(form.source.kind));
    camera_->setValue(form.source.camera);
    file_->setText(form.source.file);
    url_->setText(form.source.url);
    pipeline_->setText(form.source.pipeline);
    size_->setEditText(form.size);
    fps_->setEditText(form.fps);
    fourcc_->setText(form.fourcc);
    loop_->setChecked(form.loop);
    port_->setValue(form.port);
    name_->setText(form.name);
    slots_->setValue(form.slots);
    rtsp_port_->setValue(form.rtsp_port);
    on_kind_changed();
}

void SourcePanel::set_state(CaptureController::State state) {
    using State = CaptureController::State;
    const bool stopped = state == State::Stopped;
    const bool running = state == State::Running;
    for (QWidget* field :
         std::initializer_list<QWidget*>{kind_, details_, size_, fps_, fourcc_, loop_}) {
        field->setEnabled(stopped || running);
    }
    for (QWidget* field : std::initializer_list<QWidget*>{port_, name_, slots_, rtsp_port_}) {
        field->setEnabled(stopped);
    }
    start_->setEnabled(stopped);
    apply_->setEnabled(running);
    apply_->setDefault(running);
    start_->setDefault(!running);
    stop_->setEnabled(state == State::Starting || running || state == State::Switching);
    if (state == State::Starting || state == State::Switching) {
        show_error({});
        show_note({});
        show_ended(false);
    }
    if (stopped) {
        show_ended(false);
    }
    on_kind_changed();
}

void SourcePanel::show_note(const QString& note) {
    note_->setText(note);
    note_->setVisible(!note.isEmpty());
}

QString SourcePanel::note() const {
    return note_->text();
}

void SourcePanel::show_ended(bool ended) {
    ended_->setVisible(ended);
}

void SourcePanel::show_error(const QString& message) {
    error_->setText(message);
    error_->setVisible(!message.isEmpty());
}

QString SourcePanel::error() const {
    return error_->text();
}

void SourcePanel::on_kind_changed() {
    const auto kind = static_cast<Kind>(kind_->currentIndex());
    details_->setCurrentIndex(kind_->currentIndex());
    const bool editable = kind_->isEnabled();
    fourcc_->setEnabled(editable && kind == Kind::Camera);
    loop_->setEnabled(editable && kind == Kind::File);
    if (kind == Kind::Camera && !cameras_searched_ && app::can_open_video_sources()) {
        find_cameras();
    }
}

void SourcePanel::choose_file() {
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Choose a video file"), file_->text(),
        tr("Videos (*.mp4 *.mkv *.avi *.mov *.webm *.mpg *.mpeg *.m4v);;All files (*)"));
    if (!path.isEmpty()) {
        file_->setText(path);
    }
}

void SourcePanel::find_cameras() {
#ifdef FRAMEBRIDGE_HAVE_OPENCV
    cameras_searched_ = true;
    find_cameras_->setEnabled(false);
    cameras_found_->setText(tr("Looking for cameras…"));
    auto* watcher = new QFutureWatcher<std::vector<app::CameraInfo>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        QStringList lines;
        for (const std::string& line : app::describe_cameras(watcher->result(), CAMERAS_TO_TRY)) {
            lines.append(QString::fromStdString(line));
        }
        cameras_found_->setText(lines.join('\n'));
        find_cameras_->setEnabled(true);
        watcher->deleteLater();
    });
    // Opening each camera in turn can take a second or more.
    watcher->setFuture(QtConcurrent::run([] { return app::list_cameras(CAMERAS_TO_TRY); }));
#endif
}

}  // namespace framebridge::ui
