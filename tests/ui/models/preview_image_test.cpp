#include "models/preview_image.hpp"
#include "support/ui_test.hpp"

#include <QTest>
#include <tuple>
#include <vector>

using framebridge::ui::test::add_row;

using namespace framebridge::ui;
using framebridge::shm::PixelFormat;

namespace {

// A frame whose every pixel says where it is: B = x, G = y, R = 7, with padded rows.
struct TestFrame {
    TestFrame(std::uint32_t w, std::uint32_t h, PixelFormat f, std::uint32_t pixel_bytes)
        : width(w),
          height(h),
          format(f),
          stride(w * pixel_bytes + 64 - (w * pixel_bytes) % 64),
          bytes(std::size_t{stride} * h, std::byte{0xEE}) {
        for (std::uint32_t y = 0; y < h; ++y) {
            for (std::uint32_t x = 0; x < w; ++x) {
                std::byte* pixel = &bytes[std::size_t{y} * stride + std::size_t{x} * pixel_bytes];
                pixel[0] = static_cast<std::byte>(x);
                if (pixel_bytes > 1) {
                    pixel[1] = static_cast<std::byte>(y);
                    pixel[2] = std::byte{7};
                }
                if (pixel_bytes > 3) {
                    pixel[3] = std::byte{0};  // a camera's "no alpha"
                }
            }
        }
    }

    FrameView view() const { return {bytes.data(), width, height, stride, format}; }

    std::uint32_t width;
    std::uint32_t height;
    PixelFormat format;
    std::uint32_t stride;
    std::vector<std::byte> bytes;
};

}  // namespace

class PreviewImageTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void fitKeepsTheAspectRatio_data() {
        QTest::addColumn<QSize>("frame");
        QTest::addColumn<QSize>("target");
        QTest::addColumn<QSize>("fit");
        add_row("4k in a wide box", QSize(3840, 2160), QSize(1000, 400), QSize(711, 400));
        add_row("4k in a tall box", QSize(3840, 2160), QSize(400, 1000), QSize(400, 225));
        add_row("small frame grows", QSize(64, 48), QSize(640, 640), QSize(640, 480));
        add_row("never below 1x1", QSize(4000, 10), QSize(100, 100), QSize(100, 1));
        add_row("no target", QSize(64, 48), QSize(0, 0), QSize());
    }

    void fitKeepsTheAspectRatio() {
        QFETCH(QSize, frame);
        QFETCH(QSize, target);
        QFETCH(QSize, fit);

        QCOMPARE(fit_size(frame, target), fit);
    }

    void samplesAtTwiceTheShownSizeWithTheRightPixels() {
        const TestFrame frame(200, 100, PixelFormat::Bgr8, 3);

        const QImage sut = sample_frame(frame.view(), QSize(50, 50));

        QCOMPARE(sut.size(), QSize(100, 50));
        QCOMPARE(sut.format(), QImage::Format_BGR888);
        // Destination pixel (x, y) samples the centre of its 2x2 cell: source (2x + 1, 2y + 1).
        QCOMPARE(sut.pixel(0, 0), qRgb(7, 1, 1));
        QCOMPARE(sut.pixel(10, 20), qRgb(7, 41, 21));
        QCOMPARE(sut.pixel(99, 49), qRgb(7, 99, 199));
    }

    void aFrameSmallerThanTheSampleIsCopiedWhole() {
        const TestFrame frame(64, 48, PixelFormat::Bgr8, 3);

        const QImage sut = sample_frame(frame.view(), QSize(640, 480));

        QCOMPARE(sut.size(), QSize(64, 48));
        QCOMPARE(sut.pixel(63, 47), qRgb(7, 47, 63));
    }

    void grayAndBgraFramesAreShownToo() {
        const TestFrame gray(64, 48, PixelFormat::Gray8, 1);
        const TestFrame bgra(64, 48, PixelFormat::Bgra8, 4);

        const QImage gray_image = sample_frame(gray.view(), QSize(64, 48));
        const QImage bgra_image = sample_frame(bgra.view(), QSize(64, 48));

        QCOMPARE(gray_image.format(), QImage::Format_Grayscale8);
        QCOMPARE(qGray(gray_image.pixel(10, 3)), 10);
        QCOMPARE(bgra_image.pixel(10, 3), qRgba(7, 3, 10, 255));  // opaque whatever it said
    }

    void finishingScalesTheSampleToTheShownSize() {
        const TestFrame frame(3840, 2160, PixelFormat::Bgr8, 3);
        const QImage sampled = sample_frame(frame.view(), QSize(640, 640));

        const QImage sut = finish_preview(sampled, QSize(640, 640));

        QCOMPARE(sampled.size(), QSize(1280, 720));
        QCOMPARE(sut.size(), QSize(640, 360));
    }

    void finishingAveragesEach2x2BlockOfTheSample() {
        QImage sampled(4, 2, QImage::Format_BGR888);
        sampled.fill(Qt::white);  // the right block stays white
        for (const auto& [x, y, colour] :
             {std::tuple{0, 0, qRgb(0, 0, 0)}, std::tuple{1, 0, qRgb(100, 100, 100)},
              std::tuple{0, 1, qRgb(200, 0, 40)}, std::tuple{1, 1, qRgb(100, 0, 0)}}) {
            sampled.setPixel(x, y, colour);
        }

        const QImage sut = finish_preview(sampled, QSize(2, 1));

        QCOMPARE(sut.size(), QSize(2, 1));
        QCOMPARE(sut.format(), QImage::Format_BGR888);
        QCOMPARE(sut.pixel(0, 0), qRgb(100, 25, 35));
        QCOMPARE(sut.pixel(1, 0), qRgb(255, 255, 255));
    }

    void nothingToShowGivesANullImage() {
        const TestFrame frame(64, 48, PixelFormat::Bgr8, 3);
        FrameView unknown = frame.view();
        unknown.format = PixelFormat::None;

        QVERIFY(sample_frame(frame.view(), QSize()).isNull());
        QVERIFY(sample_frame(unknown, QSize(64, 48)).isNull());
    }
};

FRAMEBRIDGE_UI_TEST(PreviewImageTest)
#include "preview_image_test.moc"
