#include "model/error_text.h"

#include <QMessageBox>
#include <QObject>

namespace refine::ui {
namespace {

QString tr(const char* text) { return QObject::tr(text); }

}  // namespace

ErrorText enhanceErrorText(const JobError& error)
{
    ErrorText t;
    t.details = error.detail;
    switch (error.kind) {
    case JobError::Kind::NoModel:
        t.title = tr("No model installed");
        t.text = tr("Refine needs a model to enhance photos, and none is installed. Put a model folder "
                    "(model.json and model.safetensors) into share/refine/models or a folder named "
                    "in REFINE_MODELS_DIR, then restart Refine.");
        break;
    case JobError::Kind::BadModel:
        t.title = tr("The model cannot be used");
        t.text = tr("The selected model could not be loaded: its files are missing, damaged or of a "
                    "different kind. Pick another model in the settings, or reinstall this one.");
        break;
    case JobError::Kind::OutOfMemory:
        t.title = tr("Not enough memory");
        t.text = !error.plainText.isEmpty()
                   ? error.plainText
                   : tr("The computer ran out of memory for this photo. Try fewer candidates, a smaller "
                        "scale or a smaller tile size (Advanced), or close other programs.");
        break;
    case JobError::Kind::BadImage:
        t.title = tr("The photo cannot be read");
        t.text = tr("This photo seems damaged or is in a form Refine cannot read. Try opening it in "
                    "another program and saving it again as JPEG or PNG.");
        break;
    case JobError::Kind::InvalidArgument:
        t.title = tr("These settings cannot be used");
        t.text = tr("The job could not start with these settings. Choose a smaller scale or fewer "
                    "candidates, or reset the Advanced settings.");
        break;
    case JobError::Kind::Io:
        t.title = tr("A file could not be read or written");
        t.text = tr("Check that the disk is not full and that you may write to the folder.");
        break;
    case JobError::Kind::Internal:
        t.title = tr("The enhancement failed");
        t.text = tr("Something unexpected went wrong. Your photo is unchanged; try again, and if it "
                    "keeps failing, report the details below.");
        break;
    }
    return t;
}

ErrorText openErrorText(const QString& fileName, const Error& error)
{
    ErrorText t;
    t.details = QString::fromStdString(error.what());
    if (error.code() == ErrorCode::Io) {
        t.title = tr("The file cannot be opened");
        t.text = QObject::tr("%1 could not be read. Check that it still exists and that you may read it.")
                     .arg(fileName);
    } else {
        t.title = tr("The photo cannot be read");
        t.text = QObject::tr("%1 is damaged, too large or not a photo Refine can read (JPEG, PNG, TIFF, WebP "
                             "or BMP). Try saving it again from another program.")
                     .arg(fileName);
    }
    return t;
}

ErrorText exportErrorText(const QString& fileName, const QString& detail)
{
    ErrorText t;
    t.title = tr("The file could not be saved");
    t.text = QObject::tr("%1 was not written. Check that the disk is not full and that you may write to "
                         "this folder, or choose another folder. Nothing was overwritten.")
                 .arg(fileName);
    t.details = detail;
    return t;
}

void showError(QWidget* parent, const ErrorText& error)
{
    QMessageBox box(QMessageBox::Warning, error.title, error.text, QMessageBox::Ok, parent);
    box.setDetailedText(error.details);
    box.exec();
}

}  // namespace refine::ui
