// refine-cli's inputs and outputs without the engine: folders with entries that cannot be read,
// earlier outputs and duplicates left out, the output folder and input clashes checked up front,
// --seed's range, and Ctrl+C honoured inside a stage that never looks at the cancel token.
#include <QtTest>

#include <chrono>
#include <fstream>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

#include "archive_inputs.h"
#include "enhance_options.h"
#include "exit_codes.h"
#include "input_collection.h"
#include "interruptible_work.h"
#include "output_checks.h"
#include "refine/engine/error.h"

using namespace refine;
using namespace refine::cli;
namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

namespace {

bool containsText(const std::vector<std::string>& lines, const std::string& text)
{
    for (const auto& line : lines)
        if (line.find(text) != std::string::npos)
            return true;
    return false;
}

QString joined(const std::vector<std::string>& lines)
{
    QString text;
    for (const auto& line : lines)
        text += QString::fromStdString(line) + "\n";
    return text;
}

/// Runs `child` in a forked process; returns its exit code (-1 when it did not exit) and how
/// long it took.
std::pair<int, double> inChildProcess(const std::function<int()>& child)
{
    const auto started = steady_clock::now();
    const pid_t pid = fork();
    if (pid == 0)
        _exit(child());
    int status = 0;
    waitpid(pid, &status, 0);
    const double seconds = std::chrono::duration<double>(steady_clock::now() - started).count();
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, seconds};
}

}  // namespace

class TestCliInputs : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    fs::path path(const std::string& name) const { return fs::path(m_dir.path().toStdString()) / name; }

    /// A fresh folder holding a small file for each name (collection reads no pixels).
    fs::path folderWith(const std::string& name, const std::vector<std::string>& files) const
    {
        const fs::path folder = path(name);
        fs::remove_all(folder);
        fs::create_directories(folder);
        for (const auto& file : files)
            std::ofstream(folder / file) << "not decoded here";
        return folder;
    }

private Q_SLOTS:
    void symlinkLoopInFolderIsNamedAndTheOtherPhotosKept()
    {
        const fs::path folder = folderWith("loop", {"a.png", "c.jpg"});
        fs::create_symlink("b.jpg", folder / "b.jpg");            // a link to itself
        fs::create_symlink("missing.png", folder / "gone.png");   // a link to nothing
        fs::create_directory(folder / "album.jpg");               // a folder named like a photo
        const InputCollection inputs = collectInputs({folder.string()});
        QCOMPARE(inputs.photos, (std::vector<fs::path>{folder / "a.png", folder / "c.jpg"}));
        QVERIFY2(containsText(inputs.problems, "b.jpg: skipped: a loop of symbolic links"),
                 qPrintable(joined(inputs.problems)));
        QVERIFY2(containsText(inputs.problems, "gone.png: skipped: a link to a file that does not exist"),
                 qPrintable(joined(inputs.problems)));
        QCOMPARE(inputs.problems.size(), size_t(2));

        // Given directly, the loop is named too, by both commands (one classification).
        const std::string loop = (folder / "b.jpg").string();
        const std::vector<std::string> named{loop + ": cannot be opened: a loop of symbolic links"};
        QCOMPARE(collectInputs({loop}).problems, named);
        QCOMPARE(collectArchiveInputs({loop}, path("out")).problems, named);
    }

    void earlierOutputsInAFolderAreLeftOutAndCounted()
    {
        const fs::path folder = folderWith("rerun", {"p.png", "p_x4_c1.png", "p_x4_c12.jpg", "p_x4_clean.png",
                                                     "p_x16_uncertainty.png", "trip_x2.png", "x4_c1.png"});
        const InputCollection inputs = collectInputs({folder.string()});
        QCOMPARE(inputs.photos,
                 (std::vector<fs::path>{folder / "p.png", folder / "trip_x2.png", folder / "x4_c1.png"}));
        QVERIFY(inputs.problems.empty());
        QVERIFY2(containsText(inputs.notices, "left out 4 file(s) named like Refine's earlier outputs"),
                 qPrintable(joined(inputs.notices)));

        // Named on the command line, an earlier output is taken: the person asked for it.
        QCOMPARE(collectInputs({(folder / "p_x4_c1.png").string()}).photos.size(), size_t(1));
        QVERIFY(isNamedLikeRefineOutput("a_b_x8_c3.tif"));
        QVERIFY(!isNamedLikeRefineOutput("p_x4_cat.png"));
        QVERIFY(!isNamedLikeRefineOutput("_x4_c1.png"));
    }

    void theSamePhotoNamedTwiceIsTakenOnce()
    {
        const fs::path folder = folderWith("twice", {"p.png", "q.png"});
        fs::create_symlink("p.png", folder / "r.png");
        const std::string p = (folder / "p.png").string();
        const std::string otherSpelling = (folder / ".." / "twice" / "." / "p.png").string();
        const InputCollection inputs = collectInputs({p, otherSpelling, folder.string()});
        QCOMPARE(inputs.photos, (std::vector<fs::path>{p, folder / "q.png"}));
        QCOMPARE(inputs.notices.size(), size_t(3));  // the other spelling, p.png in the folder, the link r.png
        QVERIFY2(containsText(inputs.notices, otherSpelling + " is the same photo as " + p + "; it is enhanced once"),
                 qPrintable(joined(inputs.notices)));
        QCOMPARE(inputs.identities.size(), size_t(2));
        QVERIFY(inputs.identities.count(identityOf(folder / "r.png")));
    }

    void anUnreadableFolderIsAPermissionProblem()
    {
        if (geteuid() == 0)
            QSKIP("running as root: permissions do not stop root from reading a folder");
        const fs::path folder = folderWith("locked", {"a.png"});
        fs::create_directories(folder / "inner");
        std::ofstream(folder / "inner" / "b.png") << "x";
        fs::permissions(folder / "inner", fs::perms::none);
        const InputCollection inner = collectInputs({(folder / "inner").string()});
        fs::permissions(folder, fs::perms::none);
        const InputCollection below = collectInputs({(folder / "inner" / "b.png").string()});
        fs::permissions(folder, fs::perms::owner_all);
        fs::permissions(folder / "inner", fs::perms::owner_all);
        QCOMPARE(inner.problems, std::vector<std::string>{(folder / "inner").string() +
                                                          ": the folder cannot be read: permission denied"});
        QCOMPARE(below.problems, std::vector<std::string>{(folder / "inner" / "b.png").string() +
                                                          ": cannot be opened: permission denied"});
    }

    void seedTakesEveryUint64AndNothingElse()
    {
        QCOMPARE(parseSeed("0"), std::optional<uint64_t>(0));
        QCOMPARE(parseSeed("18446744073709551615"), std::optional<uint64_t>(UINT64_MAX));
        for (const char* bad :
             {"-5", "18446744073709551616", "99999999999999999999999", "", "1e3", "+5", " 5", "5x", "0x10"})
            QVERIFY2(!parseSeed(bad), bad);
    }

    void numberOptionsRefuseNaN()
    {
        // The bad-input probe (tools/probe): --eta nan passed CLI::Range and reached DDIM, which then
        // blamed the model's weights for the invalid pixels; --detail nan failed each photo instead.
        QCOMPARE(finiteNumberProblem("0.5"), std::string());
        QCOMPARE(finiteNumberProblem("2"), std::string());
        for (const char* bad : {"nan", "NaN", "-nan", "inf", "-inf", "1e400"})
            QVERIFY2(!finiteNumberProblem(bad).empty(), bad);
        for (const char* option : {"--eta", "--detail", "--cascade-noise"}) {
            for (const char* value : {"nan", "inf"}) {
                CLI::App app;
                EnhanceOptions options;
                addEnhanceOptions(app, options);
                bool refused = false;
                try {
                    app.parse(std::string("p.png ") + option + " " + value, false);
                } catch (const CLI::ValidationError&) {
                    refused = true;
                }
                QVERIFY2(refused, (std::string(option) + " " + value).c_str());
            }
            CLI::App app;
            EnhanceOptions options;
            addEnhanceOptions(app, options);
            app.parse(std::string("p.png ") + option + " 0.5", false);  // a number in range still passes
        }
    }

    void theOutputFolderIsCheckedAndCreated()
    {
        QCOMPARE(outputFolderProblem(path("new/deeper")), std::string());
        QVERIFY(fs::is_directory(path("new/deeper")));
        QVERIFY(fs::is_empty(path("new/deeper")));  // the write check leaves nothing behind
        std::ofstream(path("a-file")) << "x";
        QCOMPARE(outputFolderProblem(path("a-file")), std::string("it is a file, not a folder"));
        QCOMPARE(outputFolderProblem(path("a-file/out")),
                 std::string("it cannot be created: a part of the path is a file, not a folder"));
        if (geteuid() != 0) {
            fs::create_directories(path("read-only"));
            fs::permissions(path("read-only"), fs::perms::owner_read | fs::perms::owner_exec);
            const std::string problem = outputFolderProblem(path("read-only"));
            fs::permissions(path("read-only"), fs::perms::owner_all);
            QCOMPARE(problem, std::string("it cannot be written: permission denied"));
        }
    }

    void anOutputThatIsAnInputIsFoundByAnySpelling()
    {
        const fs::path folder = folderWith("clash", {"p.png", "p_x4_c1.png"});
        fs::create_directory_symlink(folder, path("alias"));
        const InputCollection inputs = collectInputs({(folder / "p.png").string(), (folder / "p_x4_c1.png").string()});
        QCOMPARE(outputThatIsAnInput({path("alias") / "p_x4_c2.png", path("alias") / "p_x4_c1.png"}, inputs.identities),
                 path("alias") / "p_x4_c1.png");
        QCOMPARE(outputThatIsAnInput({folder / "p_x4_c2.png"}, inputs.identities), fs::path());
    }

    void workRunsAndItsFailuresComeBack()
    {
        CancelToken cancel;
        InterruptibleWork work(cancel, "stopped");
        int ran = 0;
        work.run([&] { ++ran; });
        QCOMPARE(ran, 1);
        QVERIFY_EXCEPTION_THROWN(work.run([] { throw Error(ErrorCode::BadImage, "broken"); }), Error);
        // A failure caused by a cancel is the cancel: it is never lost.
        QVERIFY_EXCEPTION_THROWN(work.run([&] {
            cancel.cancel();
            throw Error(ErrorCode::OutOfMemory, "out of memory");
        }), Cancelled);
        QVERIFY_EXCEPTION_THROWN(work.run([&] { ++ran; }), Cancelled);  // nothing starts once cancelled
        QCOMPARE(ran, 1);
    }

    void aCancelStopsAStageThatNeverChecksIt()
    {
        // The work sleeps 20 s without looking at the token, like a long decode; Ctrl+C comes
        // after 0.2 s. The process ends at once with 130.
        const auto [exitCode, seconds] = inChildProcess([] {
            CancelToken cancel;
            InterruptibleWork work(cancel, "refine-cli: cancelled (test)");
            std::thread interrupt([&cancel] {
                std::this_thread::sleep_for(milliseconds(200));
                cancel.cancel();
            });
            interrupt.detach();
            work.run([] { std::this_thread::sleep_for(std::chrono::seconds(20)); });
            return 0;
        });
        QCOMPARE(exitCode, kExitCancelled);
        QVERIFY2(seconds < 3, qPrintable(QString::number(seconds)));
    }

    void aCancelWaitsForTheFileBeingWrittenAndBeginsNoOther()
    {
        const fs::path first = path("written-first"), second = path("never-written");
        const auto [exitCode, seconds] = inChildProcess([&] {
            CancelToken cancel;
            InterruptibleWork work(cancel, "refine-cli: cancelled (test)");
            work.run([&] {
                work.writeFile([&] {
                    cancel.cancel();  // Ctrl+C while this file is being written
                    std::this_thread::sleep_for(milliseconds(300));
                    std::ofstream(first) << "complete";
                });
                work.writeFile([&] { std::ofstream(second) << "must not happen"; });
                std::this_thread::sleep_for(std::chrono::seconds(20));
            });
            return 0;
        });
        QCOMPARE(exitCode, kExitCancelled);
        QVERIFY(seconds < 3);
        std::ifstream in(first);
        QCOMPARE(std::string(std::istreambuf_iterator<char>(in), {}), std::string("complete"));
        QVERIFY(!fs::exists(second));
    }
};

QTEST_GUILESS_MAIN(TestCliInputs)
#include "tst_cli_inputs.moc"
