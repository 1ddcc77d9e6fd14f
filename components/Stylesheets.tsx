// A page's stylesheets from static/, after tokens.css and base.css (routes/_app.tsx gives those
// to every page): in cascade order, the shared sheets before the page's own.
/** `<link rel="stylesheet">` for each name, `/static/<name>.css`. */
export function Stylesheets(props: { names: string[] }) {
  return (
    <>
      {props.names.map((name) => <link key={name} rel="stylesheet" href={`/static/${name}.css`} />)}
    </>
  );
}
