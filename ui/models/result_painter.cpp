#include "models/result_painter.hpp"

#include <QPainter>
#include <QPolygonF>
#include <QStringList>
#include <algorithm>

namespace framebridge::ui {

namespace {

constexpr qreal LINE_WIDTH = 2;
constexpr qreal POINT_RADIUS = 3;
constexpr qreal MARGIN = 8;
constexpr qreal PADDING = 3;
const QColor PANEL(0, 0, 0, 160);  // behind text, so it reads on any image

// Frame pixels to painter coordinates.
class Scale {
public:
    explicit Scale(const ResultPlacement& where)
        : origin_(where.frame_rect.topLeft()),
          x_(where.frame_rect.width() / where.frame_size.width()),
          y_(where.frame_rect.height() / where.frame_size.height()) {}

    QPointF point(std::int32_t x, std::int32_t y) const {
        return origin_ + QPointF(x * x_, y * y_);
    }
    QRectF box(const protocol::Box& b) const {
        return {point(b.x, b.y), QSizeF(b.w * x_, b.h * y_)};
    }

private:
    QPointF origin_;
    qreal x_;
    qreal y_;
};

void draw_caption(QPainter& painter, const QString& caption, const QRectF& box,
                  const QColor& colour, const QRectF& frame_rect) {
    const QFontMetricsF metrics(painter.font());
    QRectF label(0, 0, metrics.horizontalAdvance(caption) + 2 * PADDING,
                 metrics.height() + PADDING);
    // Above the box, or inside its top when the box touches the top of the frame; whole, not
    // cut by the frame's right edge.
    label.moveBottomLeft(box.topLeft());
    if (label.top() < frame_rect.top()) {
        label.moveTopLeft(box.topLeft());
    }
    if (label.right() > frame_rect.right()) {
        label.moveRight(frame_rect.right());
    }
    painter.fillRect(label, colour);
    painter.setPen(Qt::black);
    painter.drawText(label, Qt::AlignCenter, caption);
}

void draw_shapes(QPainter& painter, const ShownResult& shown, const ResultPlacement& where) {
    const protocol::Result& result = *shown.result;
    const Scale scale(where);
    painter.setOpacity(shown.opacity);
    // Boxes are crisp: their edges fall on whole pixels in the sender's colour.
    painter.setRenderHint(QPainter::Antialiasing, false);
    painter.setBrush(Qt::NoBrush);
    for (std::size_t i = 0; i < result.boxes.size(); ++i) {
        const QRectF box = scale.box(result.boxes[i]);
        painter.setPen(QPen(shown.colour, LINE_WIDTH, Qt::SolidLine, Qt::SquareCap, Qt::MiterJoin));
        painter.drawRect(box);
        if (const QString caption = box_caption(result, i); !caption.isEmpty()) {
            draw_caption(painter, caption, box, shown.colour, where.frame_rect);
        }
    }
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setPen(QPen(shown.colour, LINE_WIDTH, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    for (const auto& line : result.polylines) {
        QPolygonF polygon;
        for (const protocol::Point& p : line) {
            polygon << scale.point(p.x, p.y);
        }
        painter.drawPolyline(polygon);
    }
    painter.setPen(Qt::NoPen);
    painter.setBrush(shown.colour);
    for (const protocol::Point& p : result.points) {
        painter.drawEllipse(scale.point(p.x, p.y), POINT_RADIUS, POINT_RADIUS);
    }
    painter.setOpacity(1.0);
}

// A column of lines on a dark panel at `corner` of `area`; each line a colour swatch (or none)
// and text in `text_colour`.
struct PanelLine {
    QColor swatch;  // invalid: no swatch
    QString text;
    QColor text_colour;
    double opacity = 1.0;
};

void draw_panel(QPainter& painter, const std::vector<PanelLine>& lines, const QRectF& area,
                Qt::Corner corner) {
    if (lines.empty()) {
        return;
    }
    const QFontMetricsF metrics(painter.font());
    const qreal line_height = metrics.height() + PADDING;
    const qreal swatch = metrics.height() * 0.7;
    qreal width = 0;
    for (const PanelLine& line : lines) {
        const qreal swatch_width = line.swatch.isValid() ? swatch + PADDING * 2 : 0;
        width = std::max(width, swatch_width + metrics.horizontalAdvance(line.text));
    }
    QRectF panel(0, 0, width + 2 * PADDING, line_height * static_cast<qreal>(lines.size()));
    panel.moveTop(area.top() + MARGIN);
    if (corner == Qt::TopRightCorner) {
        panel.moveRight(area.right() - MARGIN);
    } else {
        panel.moveLeft(area.left() + MARGIN);
    }
    painter.fillRect(panel, PANEL);
    qreal y = panel.top();
    for (const PanelLine& line : lines) {
        painter.setOpacity(line.opacity);
        qreal x = panel.left() + PADDING;
        if (line.swatch.isValid()) {
            painter.fillRect(QRectF(x, y + (line_height - swatch) / 2, swatch, swatch),
                             line.swatch);
            x += swatch + PADDING * 2;
        }
        painter.setPen(line.text_colour);
        painter.drawText(QRectF(x, y, panel.right() - x, line_height),
                         Qt::AlignLeft | Qt::AlignVCenter, line.text);
        y += line_height;
    }
    painter.setOpacity(1.0);
}

}  // namespace

QString box_caption(const protocol::Result& result, std::size_t index) {
    QStringList parts;
    if (index < result.labels.size() && !result.labels[index].empty()) {
        parts << QString::fromStdString(result.labels[index]);
    }
    if (index < result.scores.size()) {
        parts << QString::number(static_cast<double>(result.scores[index]), 'f', 2);
    }
    return parts.join(' ');
}

QString legend_text(const ShownResult& shown) {
    return QString("%1 · %2/s").arg(shown.sender).arg(shown.results_per_second, 0, 'f', 1);
}

void paint_results(QPainter& painter, const std::vector<ShownResult>& results,
                   const ResultPlacement& where) {
    if (where.frame_size.isEmpty() || results.empty()) {
        return;
    }
    painter.save();
    painter.setClipRect(where.frame_rect);
    std::vector<PanelLine> texts;
    std::vector<PanelLine> legend;
    for (const ShownResult& shown : results) {
        legend.push_back({shown.colour, legend_text(shown), Qt::white, 1.0});
        if (shown.result == nullptr) {
            continue;
        }
        draw_shapes(painter, shown, where);
        if (!shown.result->text.empty()) {
            texts.push_back({QColor(), QString::fromStdString(shown.result->text), shown.colour,
                             shown.opacity});
        }
    }
    draw_panel(painter, texts, where.text_area, Qt::TopLeftCorner);
    draw_panel(painter, legend, where.text_area, Qt::TopRightCorner);
    painter.restore();
}

}  // namespace framebridge::ui
