// What the shipped scripts use of the page beyond lib.dom: Material's document$ observable and
// the Network Information API's Save-Data flag (Chromium only, so optional in both places).
interface Window {
  document$?: { subscribe(next: () => void): unknown };
}
interface Navigator {
  connection?: { saveData?: boolean };
}
