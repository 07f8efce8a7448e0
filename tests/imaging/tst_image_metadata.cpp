// Carrying metadata over to enhanced images and writing provenance (refine/imaging/metadata.h).

#include "expect_error.h"
#include "refine/engine/error.h"
#include "refine/imaging/image_io.h"
#include "refine/imaging/metadata.h"

#include "image_test_files.h"
#include "test_profiles.h"

#include <QtTest>

using namespace refine::imaging;
using refine::ErrorCode;
using refine::test::Bytes;
using refine::test::editMetadata;

namespace {

const char* const kDigitalSourceType =
    "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia";

Bytes srgbProfile() { return refine::test::saveProfile(cmsCreate_sRGBProfile()); }


cv::Mat flatImage(int width, int height)
{
    return cv::Mat(height, width, CV_32FC3, cv::Scalar(0.2, 0.5, 0.8));
}

// A 32 x 24 camera JPEG, stored sideways (orientation 6), with the metadata a photo typically has.
Bytes cameraJpeg(const Bytes& icc)
{
    const Bytes pixels = encodePhoto(flatImage(32, 24), cv::Mat(), {"jpg"});
    const Bytes thumbnail = encodePhoto(flatImage(8, 6), cv::Mat(), {"jpg"});
    return editMetadata(pixels, [&](Exiv2::Image& image) {
        Exiv2::ExifData& exif = image.exifData();
        exif["Exif.Image.Make"] = "RefineCam";
        exif["Exif.Image.Model"] = "RC-1";
        exif["Exif.Image.Orientation"] = std::uint16_t(6);
        exif["Exif.Image.ImageWidth"] = std::uint32_t(32);  // stale once upscaled
        exif["Exif.Image.ImageLength"] = std::uint32_t(24);
        exif["Exif.Photo.DateTimeOriginal"] = "2023:05:06 07:08:09";
        exif["Exif.Photo.PixelXDimension"] = std::uint32_t(32);
        exif["Exif.Photo.PixelYDimension"] = std::uint32_t(24);
        Exiv2::ExifThumb(exif).setJpegThumbnail(thumbnail.data(), long(thumbnail.size()));
        for (const char* keyword : {"harbour", "boats"}) {
            Exiv2::StringValue value(keyword);
            image.iptcData().add(Exiv2::IptcKey("Iptc.Application2.Keywords"), &value);
        }
        image.xmpData()["Xmp.dc.title"] = "lang=x-default Harbour at dawn";
        image.xmpData()["Xmp.tiff.Orientation"] = "6";
        Exiv2::DataBuf profile(icc.data(), long(icc.size()));
        image.setIccProfile(profile);
    });
}

Provenance sampleProvenance()
{
    Provenance p;
    p.software = "Refine 0.1.0";
    p.modelId = "sr3-faces-64-512";
    p.modelSha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    p.seed = 12345678901234567890ull;  // beyond 32 bits on purpose
    p.sampler = "ddim";
    p.steps = 50;
    p.scale = 4;
    p.candidateIndex = 2;
    p.candidateCount = 4;
    p.consistency = "strong";
    p.precision = "fp16";
    p.extra = R"({"tile":256,"overlap":32})";
    return p;
}

bool hasKeyWithPrefix(const std::map<std::string, std::string>& map, const std::string& prefix)
{
    for (const auto& [key, value] : map)
        if (key.rfind(prefix, 0) == 0)
            return true;
    return false;
}

std::string valueOf(const std::map<std::string, std::string>& map, const std::string& key)
{
    const auto found = map.find(key);
    return found == map.end() ? "(absent)" : found->second;
}

}  // namespace

class TestImageMetadata : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void sourceIsAsWritten();
    void transferKeepsMetadata_data();
    void transferKeepsMetadata();
    void transferBetweenFormats_data();
    void transferBetweenFormats();
    void transferLeavesPixelsAlone();
    void bmpCannotHoldMetadata();
    void provenanceWithoutSource();
    void unreadableSourceStillGetsProvenance();
    void nonRgbProfileIsDropped();
    void existingCaptionIsKept();
    void historyIsAppended();
    void garbageTargetIsRefused();
    void readingGarbageIsRefused();

private:
    Bytes m_icc;
    Bytes m_source;
};

void TestImageMetadata::initTestCase()
{
    m_icc = srgbProfile();
    QVERIFY(m_icc.size() > 128);
    m_source = cameraJpeg(m_icc);
}

void TestImageMetadata::sourceIsAsWritten()
{
    const MetadataSummary md = readMetadata(m_source);
    QCOMPARE(md.orientation, 6);
    QCOMPARE(valueOf(md.exif, "Exif.Image.Make"), std::string("RefineCam"));
    QVERIFY(hasKeyWithPrefix(md.exif, "Exif.Thumbnail."));
    QCOMPARE(valueOf(md.iptc, "Iptc.Application2.Keywords"), std::string("harbour; boats"));
    QVERIFY(md.hasIcc);
    QCOMPARE(md.icc, m_icc);
    const Photo photo = decodePhoto(m_source, "camera.jpg");
    QCOMPARE(photo.rgb.size(), cv::Size(24, 32));  // upright
}

void TestImageMetadata::transferKeepsMetadata_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<int>("bitDepth");
    QTest::addColumn<bool>("holdsIptc");
    QTest::newRow("jpeg") << "jpg" << 8 << true;
    QTest::newRow("png 8") << "png" << 8 << true;
    QTest::newRow("png 16") << "png" << 16 << true;
    QTest::newRow("tiff 8") << "tif" << 8 << true;
    QTest::newRow("tiff 16") << "tif" << 16 << true;
    QTest::newRow("webp") << "webp" << 8 << false;
}

void TestImageMetadata::transferKeepsMetadata()
{
    QFETCH(QString, format);
    QFETCH(int, bitDepth);
    QFETCH(bool, holdsIptc);
    const int width = 48, height = 64;  // the upright 24 x 32 source, doubled
    const Bytes target = encodePhoto(flatImage(width, height), cv::Mat(), {format.toStdString(), 95, bitDepth});

    MetadataTransferReport report;
    const Bytes out = transferMetadata(m_source, target, width, height, sampleProvenance(), &report);
    QVERIFY(report.written);
    QVERIFY(report.sourceCopied);
    QVERIFY2(report.note.empty(), report.note.c_str());

    const MetadataSummary md = readMetadata(out);
    QCOMPARE(valueOf(md.exif, "Exif.Image.Make"), std::string("RefineCam"));
    QCOMPARE(valueOf(md.exif, "Exif.Image.Model"), std::string("RC-1"));
    QCOMPARE(valueOf(md.exif, "Exif.Photo.DateTimeOriginal"), std::string("2023:05:06 07:08:09"));
    QCOMPARE(md.orientation, 1);
    QCOMPARE(valueOf(md.xmp, "Xmp.tiff.Orientation"), std::string("1"));
    QCOMPARE(valueOf(md.exif, "Exif.Photo.PixelXDimension"), std::to_string(width));
    QCOMPARE(valueOf(md.exif, "Exif.Photo.PixelYDimension"), std::to_string(height));
    if (format == "tif") {  // a TIFF's own structure tags, describing the new pixels
        QCOMPARE(valueOf(md.exif, "Exif.Image.ImageWidth"), std::to_string(width));
        QCOMPARE(valueOf(md.exif, "Exif.Image.ImageLength"), std::to_string(height));
    } else {
        QVERIFY(!md.exif.count("Exif.Image.ImageWidth"));
        QVERIFY(!md.exif.count("Exif.Image.ImageLength"));
    }
    QVERIFY(!hasKeyWithPrefix(md.exif, "Exif.Thumbnail."));
    QCOMPARE(valueOf(md.exif, "Exif.Image.Software"), std::string("Refine 0.1.0"));

    if (holdsIptc)
        QCOMPARE(valueOf(md.iptc, "Iptc.Application2.Keywords"), std::string("harbour; boats"));
    else
        QCOMPARE(valueOf(md.xmp, "Xmp.dc.subject"), std::string("harbour, boats"));
    QCOMPARE(valueOf(md.xmp, "Xmp.dc.title"), std::string("lang=\"x-default\" Harbour at dawn"));
    QVERIFY(md.hasIcc);
    QCOMPARE(md.icc, m_icc);

    QCOMPARE(valueOf(md.xmp, "Xmp.iptcExt.DigitalSourceType"), std::string(kDigitalSourceType));
    QCOMPARE(valueOf(md.xmp, "Xmp.xmp.CreatorTool"), std::string("Refine 0.1.0"));
    QCOMPARE(valueOf(md.xmp, "Xmp.dc.description"),
             std::string("lang=\"x-default\" Enhanced by Refine (AI super-resolution)"));
    QVERIFY(readProvenance(out) == sampleProvenance());

    // Still an image of the same kind and size.
    const Photo photo = decodePhoto(out, "out");
    QCOMPARE(photo.rgb.size(), cv::Size(width, height));
    QCOMPARE(photo.bitDepth, bitDepth);
}

void TestImageMetadata::transferBetweenFormats_data()
{
    QTest::addColumn<QString>("sourceFormat");
    QTest::addColumn<QString>("targetFormat");
    for (const char* source : {"jpg", "png", "tif", "webp"})
        for (const char* target : {"jpg", "png", "tif", "webp"})
            QTest::newRow((std::string(source) + " to " + target).c_str()) << source << target;
}

// Sources in every format (made by enhancing the camera JPEG once: what re-enhancing a Refine
// output looks like) onto targets in every format. A TIFF source's own structure tags must not
// leak into the target.
void TestImageMetadata::transferBetweenFormats()
{
    QFETCH(QString, sourceFormat);
    QFETCH(QString, targetFormat);
    const Bytes sourcePixels = encodePhoto(flatImage(24, 32), cv::Mat(), {sourceFormat.toStdString(), 95, 16});
    const Bytes source = transferMetadata(m_source, sourcePixels, 24, 32, sampleProvenance());
    const Bytes target = encodePhoto(flatImage(48, 64), cv::Mat(), {targetFormat.toStdString()});

    MetadataTransferReport report;
    const Bytes out = transferMetadata(source, target, 48, 64, sampleProvenance(), &report);
    QVERIFY(report.written && report.sourceCopied);
    const MetadataSummary md = readMetadata(out);
    QCOMPARE(valueOf(md.exif, "Exif.Image.Model"), std::string("RC-1"));
    QCOMPARE(valueOf(md.exif, "Exif.Photo.DateTimeOriginal"), std::string("2023:05:06 07:08:09"));
    QCOMPARE(valueOf(md.xmp, "Xmp.dc.title"), std::string("lang=\"x-default\" Harbour at dawn"));
    QCOMPARE(md.orientation, 1);
    QCOMPARE(md.icc, m_icc);
    QCOMPARE(valueOf(md.exif, "Exif.Photo.PixelXDimension"), std::string("48"));
    if (targetFormat == "tif")
        QCOMPARE(valueOf(md.exif, "Exif.Image.ImageWidth"), std::string("48"));
    QVERIFY(readProvenance(out) == sampleProvenance());
    QCOMPARE(decodePhoto(out, "out").rgb.size(), cv::Size(48, 64));
}

void TestImageMetadata::transferLeavesPixelsAlone()
{
    const Bytes target = encodePhoto(flatImage(48, 64), cv::Mat(), {"png", 95, 16});
    const Bytes out = transferMetadata(m_source, target, 48, 64, sampleProvenance());
    const Photo before = decodePhoto(target, "before"), after = decodePhoto(out, "after");
    QCOMPARE(cv::norm(before.rgb, after.rgb, cv::NORM_INF), 0.0);
}

void TestImageMetadata::bmpCannotHoldMetadata()
{
    const Bytes target = encodePhoto(flatImage(48, 64), cv::Mat(), {"bmp"});
    MetadataTransferReport report;
    const Bytes out = transferMetadata(m_source, target, 48, 64, sampleProvenance(), &report);
    QVERIFY(!report.written);
    QVERIFY(!report.note.empty());
    QCOMPARE(out, target);
}

void TestImageMetadata::provenanceWithoutSource()
{
    const Bytes target = encodePhoto(flatImage(16, 16), cv::Mat(), {"png"});
    MetadataTransferReport report;
    const Bytes out = transferMetadata({}, target, 16, 16, sampleProvenance(), &report);
    QVERIFY(report.written);
    QVERIFY(!report.sourceCopied);
    QVERIFY(readProvenance(out) == sampleProvenance());
    QCOMPARE(readMetadata(out).orientation, 1);
}

void TestImageMetadata::unreadableSourceStillGetsProvenance()
{
    const Bytes target = encodePhoto(flatImage(16, 16), cv::Mat(), {"jpg"});
    MetadataTransferReport report;
    const Bytes out = transferMetadata(Bytes(100, 7), target, 16, 16, sampleProvenance(), &report);
    QVERIFY(report.written);
    QVERIFY(!report.sourceCopied);
    QVERIFY(!report.note.empty());
    QVERIFY(readProvenance(out) == sampleProvenance());
}

void TestImageMetadata::nonRgbProfileIsDropped()
{
    // A grayscale photo becomes RGB when decoded; its gray profile must not describe the output.
    const Bytes gray = refine::test::grayProfile(2.2);
    const Bytes source = editMetadata(encodePhoto(flatImage(16, 16), cv::Mat(), {"jpg"}), [&](Exiv2::Image& image) {
        Exiv2::DataBuf profile(gray.data(), long(gray.size()));
        image.setIccProfile(profile);
        image.exifData()["Exif.Image.Make"] = "RefineCam";
    });
    QVERIFY(readMetadata(source).hasIcc);
    for (const char* format : {"jpg", "png", "tif", "webp"}) {
        MetadataTransferReport report;
        const Bytes out = transferMetadata(source, encodePhoto(flatImage(16, 16), cv::Mat(), {format}), 16, 16,
                                           sampleProvenance(), &report);
        QVERIFY(report.sourceCopied);
        QVERIFY(!report.note.empty());
        const MetadataSummary md = readMetadata(out);
        QVERIFY2(!md.hasIcc, format);
        QCOMPARE(valueOf(md.exif, "Exif.Image.Make"), std::string("RefineCam"));
    }
}

void TestImageMetadata::existingCaptionIsKept()
{
    const Bytes source = editMetadata(encodePhoto(flatImage(16, 16), cv::Mat(), {"jpg"}), [](Exiv2::Image& image) {
        image.xmpData()["Xmp.dc.description"] = "lang=x-default My caption";
    });
    const Bytes out = transferMetadata(source, encodePhoto(flatImage(32, 32), cv::Mat(), {"webp"}), 32, 32,
                                       sampleProvenance());
    QCOMPARE(valueOf(readMetadata(out).xmp, "Xmp.dc.description"), std::string("lang=\"x-default\" My caption"));
}

void TestImageMetadata::historyIsAppended()
{
    // Enhancing an already enhanced image adds a second history entry.
    const Bytes target = encodePhoto(flatImage(16, 16), cv::Mat(), {"png"});
    const Bytes once = transferMetadata(m_source, target, 16, 16, sampleProvenance());
    const Bytes twice = transferMetadata(once, target, 16, 16, sampleProvenance());
    const MetadataSummary md = readMetadata(twice);
    QCOMPARE(valueOf(md.xmp, "Xmp.xmpMM.History[1]/stEvt:softwareAgent"), std::string("Refine 0.1.0"));
    QCOMPARE(valueOf(md.xmp, "Xmp.xmpMM.History[2]/stEvt:parameters"),
             std::string("Enhanced by Refine (AI super-resolution)"));
    QVERIFY(!md.xmp.count("Xmp.xmpMM.History[3]/stEvt:action"));
}

void TestImageMetadata::garbageTargetIsRefused()
{
    VERIFY_ERROR(transferMetadata(m_source, Bytes(64, 1), 8, 8, sampleProvenance()), ErrorCode::BadImage);
    VERIFY_ERROR(transferMetadata(m_source, m_source, 0, 8, sampleProvenance()), ErrorCode::InvalidArgument);
}

void TestImageMetadata::readingGarbageIsRefused()
{
    for (const Bytes& bytes : {Bytes(), Bytes(10, 0), Bytes{'h', 'e', 'l', 'l', 'o'}}) {
        VERIFY_ERROR(readMetadata(bytes), ErrorCode::BadImage);
        VERIFY_ERROR(readProvenance(bytes), ErrorCode::BadImage);
    }
}

QTEST_APPLESS_MAIN(TestImageMetadata)
#include "tst_image_metadata.moc"
