"""Downloads every feature shares: streaming CSV and XLSX, PDF from HTML, SVG charts."""
