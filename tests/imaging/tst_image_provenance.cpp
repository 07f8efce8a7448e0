// The region edits of a candidate in its file's provenance (refine/imaging/candidate_export.h):
// written by encodeCandidate, read back with readProvenance, every field as it was made,
// including the repair brush's "repaired" entries.

#include "refine/imaging/candidate_export.h"
#include "refine/imaging/image_io.h"
#include "refine/imaging/metadata.h"

#include <QtTest>

#include <nlohmann/json.hpp>

using namespace refine::imaging;

namespace {

RegionEdit edit(RegionEdit::Kind kind, int x, int y, int width, int height)
{
    RegionEdit e;
    e.kind = kind;
    e.x = x;
    e.y = y;
    e.width = width;
    e.height = height;
    return e;
}

/// The provenance edits of a 16x16 candidate carrying `edits`, as written into a PNG and read back.
nlohmann::json roundTrip(const std::vector<RegionEdit>& edits)
{
    Photo source;
    source.rgb = cv::Mat(4, 4, CV_32FC3, cv::Scalar(0.2, 0.4, 0.6));
    source.format = "png";
    source.sourceBytes = encodePhoto(source.rgb, {}, EncodeOptions{});
    refine::CandidateOutput candidate;
    candidate.index = 1;
    candidate.seed = 77;
    candidate.image = refine::ImageF(16, 16, 3);
    CandidateOrigin origin;
    origin.edits = &edits;
    origin.candidateCount = 2;
    const Provenance provenance = readProvenance(encodeCandidate(source, candidate, origin, EncodeOptions{}));
    return nlohmann::json::parse(provenance.edits);
}

}  // namespace

class TestImageProvenance : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void regionEditsRoundTrip()
    {
        RegionEdit resampled = edit(RegionEdit::Kind::Resampled, 1, 2, 3, 4);
        resampled.feather = 5;
        resampled.seed = 12345678901234ull;
        resampled.alternative = 2;
        RegionEdit blended = edit(RegionEdit::Kind::BlendedFrom, 0, 0, 8, 8);
        blended.brushMask = true;
        blended.sourceCandidate = 3;
        RegionEdit repaired = edit(RegionEdit::Kind::Repaired, 4, 5, 6, 7);
        repaired.brushMask = true;
        repaired.feather = 6;
        repaired.seed = 99;
        repaired.alternative = 1;
        repaired.inpaint = InpaintMethod::NavierStokes;

        const nlohmann::json list = roundTrip({resampled, blended, repaired});
        QCOMPARE(int(list.size()), 3);
        const nlohmann::json& r = list[0];
        QCOMPARE(r["kind"].get<std::string>(), std::string("resampled"));
        QCOMPARE(r["region"], nlohmann::json({1, 2, 3, 4}));
        QCOMPARE(r["shape"].get<std::string>(), std::string("rectangle"));
        QCOMPARE(r["feather"].get<int>(), 5);
        QCOMPARE(r["seed"].get<std::uint64_t>(), resampled.seed);
        QCOMPARE(r["alternative"].get<int>(), 2);

        const nlohmann::json& b = list[1];
        QCOMPARE(b["kind"].get<std::string>(), std::string("blended_from"));
        QCOMPARE(b["shape"].get<std::string>(), std::string("brush"));
        QCOMPARE(b["source_candidate"].get<int>(), 3);

        const nlohmann::json& p = list[2];
        QCOMPARE(p["kind"].get<std::string>(), std::string("repaired"));
        QCOMPARE(p["method"].get<std::string>(), std::string("inpaint+diffusion"));
        QCOMPARE(p["inpaint"].get<std::string>(), std::string("ns"));
        QCOMPARE(p["region"], nlohmann::json({4, 5, 6, 7}));
        QCOMPARE(p["shape"].get<std::string>(), std::string("brush"));
        QCOMPARE(p["feather"].get<int>(), 6);
        QCOMPARE(p["seed"].get<std::uint64_t>(), std::uint64_t(99));
        QCOMPARE(p["alternative"].get<int>(), 1);
        QVERIFY(!p.contains("source_candidate"));
    }

    void noEditsWriteNoList()
    {
        Photo source;
        source.rgb = cv::Mat(4, 4, CV_32FC3, cv::Scalar(0.5, 0.5, 0.5));
        source.format = "png";
        refine::CandidateOutput candidate;
        candidate.image = refine::ImageF(8, 8, 3);
        const std::vector<RegionEdit> none;
        CandidateOrigin origin;
        origin.edits = &none;
        QVERIFY(readProvenance(encodeCandidate(source, candidate, origin, EncodeOptions{})).edits.empty());
    }
};

QTEST_APPLESS_MAIN(TestImageProvenance)
#include "tst_image_provenance.moc"
