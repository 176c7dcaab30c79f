//! `ogi_report._ogi_report`: the compiled half of the Python package. The pure-Python
//! wrapper (`python/src/ogi_report/__init__.py`) turns what these functions return into
//! dicts and pandas DataFrames; everything about reports (parsing, columns, their types)
//! is decided here, by the `ogi-report` crate.

mod batch;
mod columns;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use ogi_report::{Error, InputFormat, Options, Report};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;

use columns::Column;

create_exception!(
    ogi_report,
    OgiReportError,
    PyException,
    "Base class of every error ogi_report raises for input it cannot read as a report."
);
create_exception!(
    ogi_report,
    ReadError,
    OgiReportError,
    "The file could not be read (missing, a folder, no permission)."
);
create_exception!(
    ogi_report,
    EmptyInput,
    OgiReportError,
    "The input holds no bytes, or only white space."
);
create_exception!(
    ogi_report,
    UnsupportedFormat,
    OgiReportError,
    "A format ogi_report does not read (e.g. an OLE2 file that is not a Word document)."
);
create_exception!(
    ogi_report,
    Damaged,
    OgiReportError,
    "A PDF, DOCX or DOC file damaged beyond what can be read."
);
create_exception!(
    ogi_report,
    Encrypted,
    OgiReportError,
    "An encrypted PDF (non-empty user password) or encrypted Word document."
);
create_exception!(
    ogi_report,
    NoTextLayer,
    OgiReportError,
    "A PDF with pages but no text layer (a scan): run OCR first."
);
create_exception!(
    ogi_report,
    LimitExceeded,
    OgiReportError,
    "A limit against hostile input was hit (input size, pages, decoded bytes, ...)."
);
create_exception!(
    ogi_report,
    NotAReport,
    OgiReportError,
    "Readable text that holds nothing of an OGI annual report."
);
create_exception!(
    ogi_report,
    InternalError,
    OgiReportError,
    "The parser failed on this input (a bug in ogi_report: please report the file)."
);

/// The Python exception for a library error, with the library's message.
fn to_py_err(e: &Error) -> PyErr {
    let msg = e.to_string();
    match e {
        Error::Io { .. } => ReadError::new_err(msg),
        Error::Empty => EmptyInput::new_err(msg),
        Error::Unsupported(_) => UnsupportedFormat::new_err(msg),
        Error::Damaged { .. } => Damaged::new_err(msg),
        Error::Encrypted => Encrypted::new_err(msg),
        Error::NoTextLayer => NoTextLayer::new_err(msg),
        Error::Limit(_) => LimitExceeded::new_err(msg),
        Error::NotAReport => NotAReport::new_err(msg),
        // a kind added to the library later still gets the common base class
        _ => OgiReportError::new_err(msg),
    }
}

/// The input format named by `format=` (the names the report's `metadata.format` uses).
fn input_format(name: &str) -> PyResult<InputFormat> {
    Ok(match name {
        "text" => InputFormat::Text,
        "markdown" => InputFormat::Markdown,
        "html" => InputFormat::Html,
        "docx" => InputFormat::Docx,
        "doc" => InputFormat::Doc,
        "pdf" => InputFormat::Pdf,
        "image" => InputFormat::Image,
        _ => {
            return Err(PyValueError::new_err(format!(
            "unknown format {name:?}: expected one of text, markdown, html, docx, doc, pdf, image"
        )))
        }
    })
}

fn options(format: Option<&str>) -> PyResult<Options> {
    let opts = Options::default();
    Ok(match format {
        Some(f) => opts.with_format(input_format(f)?),
        None => opts,
    })
}

/// The text of a caught panic.
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

/// Runs a parse without the GIL; a panic becomes [`InternalError`].
fn parse_detached(
    py: Python<'_>,
    parse: impl FnOnce() -> ogi_report::Result<Report> + Send,
) -> PyResult<String> {
    let result = py.detach(|| {
        catch_unwind(AssertUnwindSafe(parse))
            .map(|r| r.map(|report| serde_json::to_string(&report)))
    });
    match result {
        Ok(Ok(Ok(json))) => Ok(json),
        Ok(Ok(Err(e))) => Err(OgiReportError::new_err(format!(
            "report could not be written as JSON: {e}"
        ))),
        Ok(Err(e)) => Err(to_py_err(&e)),
        Err(payload) => Err(InternalError::new_err(format!(
            "parser panicked: {}",
            panic_message(payload.as_ref())
        ))),
    }
}

/// Parses the file at `path`; returns the report as JSON text.
#[pyfunction]
#[pyo3(signature = (path, format=None))]
fn parse_path(py: Python<'_>, path: PathBuf, format: Option<&str>) -> PyResult<String> {
    let opts = options(format)?;
    parse_detached(py, move || ogi_report::parse_path_with(&path, &opts))
}

/// Parses `data`; returns the report as JSON text.
#[pyfunction]
#[pyo3(signature = (data, format=None))]
fn parse_bytes(py: Python<'_>, data: Vec<u8>, format: Option<&str>) -> PyResult<String> {
    let opts = options(format)?;
    parse_detached(py, move || ogi_report::parse_bytes_with(&data, &opts))
}

/// Files a folder walk passed over, as `(path, reason code)`.
type Skipped = Vec<(String, String)>;

/// The reports under `paths` (files, folders walked recursively), parsed in parallel
/// without the GIL: `(columns, skipped)`, each column `(name, dtype, values)`, skipped
/// files as `(path, reason code)`.
#[pyfunction]
#[pyo3(signature = (paths, jobs=None, long=false))]
fn read_reports(
    py: Python<'_>,
    paths: Vec<PathBuf>,
    jobs: Option<usize>,
    long: bool,
) -> PyResult<(Vec<Py<PyAny>>, Skipped)> {
    let batch = py
        .detach(|| batch::read(&paths, jobs, long))
        .map_err(|e| OgiReportError::new_err(e.to_string()))?;
    let cols = batch
        .columns
        .into_iter()
        .map(|c| c.into_python(py))
        .collect::<PyResult<_>>()?;
    Ok((cols, batch.skipped))
}

/// The canonical cells of both template versions, as columns like `read_reports`.
#[pyfunction]
fn schema(py: Python<'_>) -> PyResult<Vec<Py<PyAny>>> {
    columns::schema()
        .into_iter()
        .map(|c: Column| c.into_python(py))
        .collect()
}

/// The compiled module.
#[pymodule]
fn _ogi_report(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_function(wrap_pyfunction!(parse_path, m)?)?;
    m.add_function(wrap_pyfunction!(parse_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(read_reports, m)?)?;
    m.add_function(wrap_pyfunction!(schema, m)?)?;
    m.add("OgiReportError", py.get_type::<OgiReportError>())?;
    m.add("ReadError", py.get_type::<ReadError>())?;
    m.add("EmptyInput", py.get_type::<EmptyInput>())?;
    m.add("UnsupportedFormat", py.get_type::<UnsupportedFormat>())?;
    m.add("Damaged", py.get_type::<Damaged>())?;
    m.add("Encrypted", py.get_type::<Encrypted>())?;
    m.add("NoTextLayer", py.get_type::<NoTextLayer>())?;
    m.add("LimitExceeded", py.get_type::<LimitExceeded>())?;
    m.add("NotAReport", py.get_type::<NotAReport>())?;
    m.add("InternalError", py.get_type::<InternalError>())?;
    Ok(())
}
