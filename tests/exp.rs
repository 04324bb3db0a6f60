use cachekeys::catalogue::yaml::Node;
fn show(s: &str) {
    let r: Result<Node, _> = serde_saphyr::from_str(s);
    match r { Ok(n) => println!("{:#?}", n), Err(e) => { println!("ERR display: {}", e); println!("ERR loc: {:?}", e.location()); println!("ERR nosnip: {}", e.without_snippet()); } }
}
#[test]
fn exp() {
    show("prefix: shop\nkeys:\n  a.b:\n    pattern: \"x:{y}\"\n    params: {y: u64, z: [1, true, 1.5, ~]}\n  é: 1h\n");
    show("a: 1\na: 2\n");
    show("a: [1\n");
    show("a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n");
    show("");
    show("x: 0x10\ny: 007\nz: 99999999999999999999999\n");
}
