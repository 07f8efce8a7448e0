// Colours as they are: a photo with an ICC profile (here Adobe RGB) is shown through it, on an
// sRGB screen, everywhere its pixels are painted (the photo, the Original, candidates, the queue
// thumbnail), while its pixels, and the files written from them, stay in its own colour space
// with the profile. A photo without a profile is shown as it is.
#include <QtTest>

#include <fstream>

#include "files/candidate_exporter.h"
#include "files/photo_loader.h"
#include "files/thumbnail_reader.h"
#include "jobs/enhance_controller.h"
#include "jobs/preview_outcome.h"
#include "model/candidate_set.h"
#include "model/display_colour.h"
#include "model/image_convert.h"
#include "model/lazy_original.h"
#include "refine/imaging/metadata.h"
#include "ui_test_helpers.h"

using namespace refine;
using namespace refine::ui;

using test::maxLevelDifference;
using test::readBytes;

namespace {

// Inside the sRGB gamut, so the conversion to the screen can be undone.
const QRgb kSample = qRgb(150, 110, 90);

/// What `rgb` in Adobe RGB looks like on an sRGB screen.
QRgb onScreen(QRgb rgb)
{
    QImage one(1, 1, QImage::Format_RGB32);
    one.setPixel(0, 0, rgb);
    one.setColorSpace(QColorSpace::AdobeRgb);
    one.convertToColorSpace(QColorSpace::SRgb);
    return one.pixel(0, 0);
}

}  // namespace

class TestUiColour : public QObject {
    Q_OBJECT

    std::unique_ptr<test::UiTestEnvironment> m_env;
    QString m_adobe;  ///< a flat 16x12 PNG of kSample with an Adobe RGB profile

private Q_SLOTS:
    void initTestCase()
    {
        m_env = std::make_unique<test::UiTestEnvironment>();
        QImage photo(16, 12, QImage::Format_RGB32);
        photo.fill(kSample);
        photo.setColorSpace(QColorSpace::AdobeRgb);
        m_adobe = m_env->path(QStringLiteral("adobe.png"));
        QVERIFY(photo.save(m_adobe));
        QVERIFY2(imaging::readMetadata(readBytes(m_adobe)).hasIcc, "the test photo carries its profile");
        QVERIFY2(maxLevelDifference(onScreen(kSample), kSample) > 4, "Adobe RGB looks different on an sRGB screen");
    }

    void thePhotoIsShownThroughItsProfile()
    {
        const LoadedPhoto loaded = PhotoLoader::decode(m_adobe, 4);
        QVERIFY(loaded.ok());
        QVERIFY(needsDisplayConversion(loaded.views.colourSpace));
        QVERIFY(maxLevelDifference(loaded.views.inputImage.pixel(3, 3), onScreen(kSample)) <= 1);
        // Its pixels stay as they are in the file.
        const ImageF& input = *loaded.views.input;
        QVERIFY(std::abs(input.at(3, 3, 0) * 255.f - 150.f) < 0.5f);
    }

    void aPhotoWithoutAProfileIsShownAsItIs()
    {
        const LoadedPhoto loaded = PhotoLoader::decode(m_env->photo(QStringLiteral("plain.png")), 4);
        QVERIFY(loaded.ok());
        QVERIFY(!needsDisplayConversion(loaded.views.colourSpace));
        QCOMPARE(loaded.views.inputImage, toQImage(*loaded.views.input));
    }

    void theOriginalAndEditedCandidatesAreShownThroughIt()
    {
        const LoadedPhoto loaded = PhotoLoader::decode(m_adobe, 4);
        CandidateSet set;
        set.setPhoto(m_adobe, loaded.photo, loaded.views);
        QVERIFY(needsDisplayConversion(set.colourSpace()));
        const QImage part = LazyOriginal::render(set.input(), 4, set.colourSpace(), QRect(0, 0, 32, 32), QSize(32, 32));
        QVERIFY(maxLevelDifference(part.pixel(10, 10), onScreen(kSample)) <= 1);

        set.setOutcome(test::fakeOutcome(set.input(), 2));
        auto flat = std::make_shared<ImageF>(64, 48, 3);
        for (size_t i = 0; i < flat->pixels.size(); i += 3) {
            flat->pixels[i] = 150.f / 255.f;
            flat->pixels[i + 1] = 110.f / 255.f;
            flat->pixels[i + 2] = 90.f / 255.f;
        }
        set.replacePixels(0, flat, {});
        QVERIFY(maxLevelDifference(set.candidate(0).image.pixel(5, 5), onScreen(kSample)) <= 1);
    }

    void jobsMakeTheirDisplayImagesThroughIt()
    {
        EnhanceController controller;
        QSignalSpy finished(&controller, &EnhanceController::finished);
        EnhanceJob job;
        job.modelId = "tiny-test";
        job.request->input = *PhotoLoader::decode(m_adobe, 4).views.input;
        job.request->candidates = 1;
        job.request->steps = 1;
        job.request->sampler = "ddim";
        job.colourSpace = QColorSpace(QColorSpace::AdobeRgb);
        controller.start(job);
        QVERIFY(finished.wait(120000));
        const auto outcome = finished.first().at(1).value<JobOutcome>();
        QCOMPARE(outcome.candidates[0], toQImage(*outcome.candidatePixels[0], job.colourSpace));
        QVERIFY(outcome.candidates[0] != toQImage(*outcome.candidatePixels[0]));
    }

    void keptPreviewsGoBackToThePhotosColours()
    {
        const QColorSpace adobe(QColorSpace::AdobeRgb);
        QImage photoColours(8, 8, QImage::Format_RGB32);
        photoColours.fill(kSample);
        EnhanceRequest request;
        request.scale = 4;
        const JobOutcome kept =
            outcomeFromPreviews({toDisplayColours(photoColours, adobe)}, 3, request, QSize(2, 2), ModelInfo{}, {}, adobe);
        QVERIFY(kept.result);
        const ImageF& pixels = *kept.candidatePixels[0];
        QVERIFY(std::abs(pixels.at(4, 4, 0) * 255.f - 150.f) <= 2.f);
        QVERIFY(std::abs(pixels.at(4, 4, 2) * 255.f - 90.f) <= 2.f);
    }

    void filesKeepThePhotosPixelsAndProfile()
    {
        auto window = test::makeWindow(1);
        QVERIFY(test::openAndWait(*window, {m_adobe}));
        QVERIFY(test::runAndWait(*window, [&] { window->enhance(); }));
        const QString dir = m_env->path(QStringLiteral("out"));
        QDir().mkpath(dir);
        const ExportReport report = window->exportAllTo(dir, QStringLiteral("png"));
        QVERIFY2(report.ok(), qPrintable(report.failed.join(QLatin1Char('\n'))));
        const auto bytes = readBytes(report.written.first());
        QVERIFY2(imaging::readMetadata(bytes).hasIcc, "the profile goes with the pixels");
        QImage written(report.written.first());
        written.setColorSpace(QColorSpace());  // compare the samples, not what they look like
        QCOMPARE(written.convertToFormat(QImage::Format_RGB32),
                 toQImage(*window->candidates()->candidate(0).pixels));
    }

    void queueThumbnailsAreShownThroughIt()
    {
        const QImage thumbnail = readThumbnail(m_adobe, 8);
        QCOMPARE(thumbnail.size(), QSize(8, 6));
        QVERIFY(maxLevelDifference(thumbnail.pixel(4, 3), onScreen(kSample)) <= 2);
    }
};

QTEST_MAIN(TestUiColour)
#include "tst_ui_colour.moc"
